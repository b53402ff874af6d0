# oauth-client list --product asset-tracker as one JSON object per line (--ndjson), then as CSV with a header line
$PCTL oauth-client list --product asset-tracker --ndjson || exit
$PCTL oauth-client list --product asset-tracker --csv
