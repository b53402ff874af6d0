$PCTL list offline --csv
