# the user's clients (table) and a product's (JSON); secrets are never listed
$PCTL oauth-client list || exit
$PCTL oauth-client list --product asset-tracker --json
