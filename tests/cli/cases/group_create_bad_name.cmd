# a name the reference does not allow, and a duplicate: refused by the API, nothing made
$PCTL group create asset-tracker "North Sea"
echo "rc $?"
$PCTL group create asset-tracker europe
echo "rc $?"
$PCTL group list asset-tracker --csv
