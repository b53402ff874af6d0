# product list as one JSON object per line (--ndjson), then as CSV with a header line
$PCTL product list --ndjson || exit
$PCTL product list --csv
