# rename, see the new name in the listing, rename back
$PCTL device rename demo-p2-1 golden-p2 || exit
$PCTL list golden --csv
$PCTL device rename golden-p2 demo-p2-1 --json
