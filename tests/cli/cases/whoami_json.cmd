$PCTL whoami --json
