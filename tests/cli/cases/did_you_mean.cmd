# a mistyped command or option gets the closest one (edit distance), a far one nothing
$PCTL lst
echo "rc $?"
$PCTL product devce list my-product
echo "rc $?"
$PCTL product device lsit my-product
echo "rc $?"
$PCTL list --jsno
echo "rc $?"
$PCTL --ndjosn list
echo "rc $?"
$PCTL get demo-argon-1 --prodcut x
echo "rc $?"
$PCTL frobnicate
echo "rc $?"
$PCTL help lsit
echo "rc $?"
