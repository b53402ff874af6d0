# an organization member's role changed and listed, then changed back; a bad role is refused
$PCTL team list --org acme --csv || exit
$PCTL team update --org acme member@example.com --role Support --json || exit
$PCTL team list --org acme --csv | grep member
$PCTL team update --org acme member@example.com --role Developer >/dev/null || exit
$PCTL team update asset-tracker demo@example.com --role Boss
