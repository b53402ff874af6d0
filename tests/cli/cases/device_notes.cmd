$PCTL device notes demo-p2-1 "roof, north side" || exit
$PCTL get demo-p2-1 --json | grep '"notes"'
$PCTL device notes demo-p2-1 "" --ndjson
