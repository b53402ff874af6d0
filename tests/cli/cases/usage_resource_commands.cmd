# destructive product, group and team commands need --yes off a terminal; bad usage sends
# nothing (each line prints the exit status)
$PCTL group delete my-product lab; echo "rc $?"
$PCTL team remove my-product dev@example.com; echo "rc $?"
$PCTL product device deny my-product 0123456789abcdef01234567; echo "rc $?"
$PCTL team list my-product --org acme; echo "rc $?"
$PCTL team invite; echo "rc $?"
$PCTL group update my-product lab; echo "rc $?"
$PCTL group add my-product lab; echo "rc $?"
$PCTL product device development my-product 0123456789abcdef01234567 maybe; echo "rc $?"
$PCTL product device lock my-product 0123456789abcdef01234567 v2; echo "rc $?"
$PCTL product get ""; echo "rc $?"
