$PCTL subscribe --api-url "$CLOSED_URL" --until 10s
