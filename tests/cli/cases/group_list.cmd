# a product's groups (table), the name filter (JSON)
$PCTL group list asset-tracker || exit
$PCTL group list env-sensors --name LA --json
