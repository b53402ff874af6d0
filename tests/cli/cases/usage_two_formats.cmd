$PCTL list --json --csv
