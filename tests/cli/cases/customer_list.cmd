# every page of a product's customers: table, then JSON
$PCTL customer list asset-tracker || exit
$PCTL customer list 10001 --json
