$PCTL get demo-argon-1 status; $PCTL get demo-argon-1 status --ndjson
