# one customer, found in the listing whatever the case of the e-mail; an unknown one fails
$PCTL customer get asset-tracker CUSTOMER@example.com || exit
$PCTL customer get asset-tracker customer@example.com --json || exit
$PCTL customer get asset-tracker nobody@example.com
