$PCTL api GET /v1/user --json
