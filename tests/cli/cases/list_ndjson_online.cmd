$PCTL list online --ndjson
