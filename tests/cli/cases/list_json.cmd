$PCTL list --json
