# webhook/integration commands that refuse before any request (exit 2 each): a webhook
# without a url, --product with --org, a template that is not a JSON object, --type on the
# webhook family, an unknown integration type, an edit that changes nothing, a deletion
# without --yes off a terminal
printf '[1, 2]' > list.json
$PCTL webhook create temp; echo "rc $?"
$PCTL webhook create temp https://example.com/in --product p --org o; echo "rc $?"
$PCTL webhook create temp https://example.com/in --json-template list.json; echo "rc $?"
$PCTL webhook create temp https://example.com/in --json-template missing.json; echo "rc $?"
$PCTL webhook list --type GoogleMaps; echo "rc $?"
$PCTL integration create temp https://example.com/in --type zapier; echo "rc $?"
$PCTL integration edit 5a8ef38cb85f8720edce631a; echo "rc $?"
$PCTL webhook delete 5a8ef38cb85f8720edce631a; echo "rc $?"
