$PCTL list --api-url "$CLOSED_URL"
