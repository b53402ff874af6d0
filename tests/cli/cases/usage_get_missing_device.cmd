$PCTL get
