# deactivate, reactivate (with a data limit), activate and release a SIM card
ICCID=89014518530070426951
$PCTL sim deactivate $ICCID
$PCTL sim get $ICCID --csv
$PCTL sim reactivate $ICCID --mb-limit 10 --ndjson | grep -o '"status":"[a-z]*"\|"mb_limit":[0-9a-z]*'
$PCTL sim reactivate $ICCID --mb-limit -1
echo "rc $?"
$PCTL sim activate $ICCID --json | grep '"iccid"\|"status"'
# released: a product's SIM card (the user's one stays for the other cases)
PRODUCT_ICCID=$($PCTL sim list --product asset-tracker --csv | sed -n 2p | cut -d, -f1)
$PCTL sim release $PRODUCT_ICCID --product asset-tracker
echo "rc $?"
$PCTL sim release $PRODUCT_ICCID --product asset-tracker --yes --json | sed "s/$PRODUCT_ICCID/<ICCID>/"
$PCTL sim release $PRODUCT_ICCID --product asset-tracker --yes 2>&1 | sed "s/$PRODUCT_ICCID/<ICCID>/"
echo "still listed: $($PCTL sim list --product asset-tracker | grep -c "$PRODUCT_ICCID")"
