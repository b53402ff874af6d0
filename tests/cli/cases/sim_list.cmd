# SIM cards: the table is short, the machine formats carry every field
$PCTL sim list
$PCTL sim list --json
$PCTL sim list --ndjson
$PCTL sim list --csv
$PCTL sim list --product asset-tracker | wc -l
$PCTL sim list --product asset-tracker --device-name no-such-name
