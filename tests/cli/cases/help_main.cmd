$PCTL --help
