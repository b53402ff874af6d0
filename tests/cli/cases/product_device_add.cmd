# import demo's Boron (seed 1) into the Boron product, see it listed there, then take it out
# again so the other cases see the default fleet
id=c08aa83b63f1ee08469ccdac
$PCTL product device add asset-tracker "$id"
echo "listed: $($PCTL product device list asset-tracker --csv | grep -c "^$id,")"
$PCTL product device remove asset-tracker "$id" --yes >/dev/null
echo "after remove: $($PCTL product device list asset-tracker --csv | grep -c "^$id,")"
