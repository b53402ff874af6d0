# tracker locations: last positions by group and paging, a device's positions in a time
# range, bad arguments
$PCTL product location list asset-tracker --groups asia --csv | cut -d, -f1-3 | sort
$PCTL product location list asset-tracker --per-page 2 --page 1 --json | grep -c '"device_id"'
DEV=$($PCTL product location list asset-tracker --device-name tracker-1 --csv | sed -n 2p | cut -d, -f1)
$PCTL product location get asset-tracker "$DEV" --date-range 2000-01-01T00:00:00Z,2000-01-02T00:00:00Z
echo "rc $?"
$PCTL product location list asset-tracker --per-page 500
echo "rc $?"
$PCTL product location list asset-tracker --rect-bl 1,2
echo "rc $?"
$PCTL product location list no-such-product
echo "rc $?"
