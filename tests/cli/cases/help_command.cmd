$PCTL get --help
