# by slug (table) and by id (JSON)
$PCTL product get asset-tracker || exit
$PCTL product get 10002 --json
