# variable list / function list: one device, several, or every online device
$PCTL variable list demo-argon-1
$PCTL variable list demo-argon-1 --json | head -n 7
$PCTL variable list demo-argon-1 demo-boron-1 --ndjson | wc -l
$PCTL variable list --csv | cut -d, -f1 | sort | uniq -c
$PCTL function list demo-argon-1
$PCTL function list demo-argon-1 --json | head -n 6
$PCTL function list demo-argon-1 --ndjson | head -n 2
$PCTL function list --csv | cut -d, -f1 | sort | uniq -c
$PCTL variable list no-such-device
echo "rc $?"
$PCTL function list no-such-device --json
echo "rc $?"
