# by slug (table) and by id (JSON). Other cases add and remove product devices on the same
# simulator, so device_count is checked against the product's device listing instead.
$PCTL product get asset-tracker | grep -v '^device_count:' || exit
$PCTL product get 10002 --json > env.json || exit
grep -v '"device_count"' env.json
listed=$(($($PCTL product device list env-sensors --csv | wc -l) - 1))
grep -q "\"device_count\": $listed,\$" env.json && echo "device_count is the number of devices listed"
