$PCTL get demo-boron-1 --csv
