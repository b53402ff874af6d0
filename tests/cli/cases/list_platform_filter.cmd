$PCTL list boron
