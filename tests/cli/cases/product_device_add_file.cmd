# a list file goes to the API as a multipart import (one identifier per line; a bad one is
# reported); then the device leaves the product again so the other cases see the default fleet
id=c08aa83b63f1ee08469ccdac
printf '%s\n\nnot-a-device\n' "$id" > "$HOME/devices.txt"
$PCTL product device add asset-tracker --file "$HOME/devices.txt" --json
echo "rc=$?"
$PCTL product device remove asset-tracker "$id" --yes >/dev/null
$PCTL product device add asset-tracker "$id" --file "$HOME/devices.txt"
