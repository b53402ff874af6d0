# customer list asset-tracker as one JSON object per line (--ndjson), then as CSV with a header line
$PCTL customer list asset-tracker --ndjson || exit
$PCTL customer list asset-tracker --csv
