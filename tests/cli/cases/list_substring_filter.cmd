$PCTL list P2 --json
