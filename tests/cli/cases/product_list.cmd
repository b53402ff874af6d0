# the user's products (table), then an organization's (JSON): the default fleet's two
$PCTL product list || exit
$PCTL product list --org acme --json
