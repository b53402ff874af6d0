# by the serial printed on customer-tracker (any case), table and JSON; then an unknown one
$PCTL device lookup E40KAB111111111 || exit
$PCTL device lookup e40kab111111111 --json || exit
$PCTL device lookup NOSUCHSERIAL000
