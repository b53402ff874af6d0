# development flag, firmware lock and unlock, and approving a device already in the product
# (the import answers existing: success); everything is set back for the other cases
id=$($PCTL product device list asset-tracker --csv | grep ',tracker-1,' | cut -d, -f1)
$PCTL product device development asset-tracker "$id" on | sed "s/$id/<ID>/"
$PCTL product device development asset-tracker "$id" off --json | sed "s/$id/<ID>/"
$PCTL product device lock asset-tracker "$id" 2 --csv | sed "s/$id/<ID>/"
$PCTL product device unlock asset-tracker "$id" --ndjson | sed "s/$id/<ID>/"
$PCTL product device approve asset-tracker "$id" | sed "s/$id/<ID>/"
