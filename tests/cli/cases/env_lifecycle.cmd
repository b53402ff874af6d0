# environment variables at organization, product and device scope: set (both forms),
# precedence in list and render, review, rollout, delete
DEV=$($PCTL product device list asset-tracker --csv | sed -n 2p | cut -d, -f1)
$PCTL env set REGION=eu --org acme
$PCTL env set MODE slow --org acme
$PCTL env set MODE fast --product asset-tracker
$PCTL env set NAME unit-7 --device "$DEV"
$PCTL env list --device "$DEV"
$PCTL env render --device "$DEV" --csv
$PCTL env rollout --product asset-tracker --review
$PCTL env rollout --product asset-tracker
$PCTL env rollout --product asset-tracker --review --json
$PCTL env delete NAME --device "$DEV"
$PCTL env list --device "$DEV" --json | grep -c '"name"'
