# release a device, see it gone, claim it back by id
id=$($PCTL get demo-photon-1 --json | sed -n 's/.*"id": "\(.*\)".*/\1/p')
$PCTL device remove demo-photon-1 --yes || exit
$PCTL list photon --csv
$PCTL device claim "$id" >/dev/null || exit
$PCTL list photon --csv | cut -d, -f2,3
