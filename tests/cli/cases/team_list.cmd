# a product's team (table) and the organization's (JSON)
$PCTL team list asset-tracker || exit
$PCTL team list --org acme --json
