$PCTL list
