# team list asset-tracker as one JSON object per line (--ndjson), then as CSV with a header line
$PCTL team list asset-tracker --ndjson || exit
$PCTL team list asset-tracker --csv
