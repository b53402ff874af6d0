# a device already in the product is reported as existing (exit 0), also from --file (the
# multipart import: the simulator skips blank lines and trims blanks around an identifier)
id=$($PCTL product device list asset-tracker --csv | grep ',tracker-1,' | cut -d, -f1)
$PCTL product device add asset-tracker "$id" --json | sed "s/$id/<ID>/"
printf '\n  %s  \n' "$id" > ids.txt
$PCTL product device add asset-tracker --file ids.txt --ndjson | sed "s/$id/<ID>/"
