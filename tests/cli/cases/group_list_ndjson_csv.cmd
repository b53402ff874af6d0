# group list asset-tracker as one JSON object per line (--ndjson), then as CSV with a header line
$PCTL group list asset-tracker --ndjson || exit
$PCTL group list asset-tracker --csv
