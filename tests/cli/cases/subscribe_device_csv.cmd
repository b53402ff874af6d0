# events of one device; the simulated devices publish on their own schedule
$PCTL subscribe temperature --device demo-argon-1 --max 2 --csv | cut -d, -f1,3,5
