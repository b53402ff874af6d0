# remove the last-listed device of a product and see the count drop by one
before=$($PCTL product device list env-sensors --csv | tail -n +2 | wc -l)
id=$($PCTL product device list env-sensors --csv | tail -n 1 | cut -d, -f1)
$PCTL product device remove env-sensors "$id" --yes --json | sed "s/$id/<ID>/"
after=$($PCTL product device list env-sensors --csv | tail -n +2 | wc -l)
echo "removed one: $((before - after))"
