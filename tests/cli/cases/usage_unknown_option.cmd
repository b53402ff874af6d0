$PCTL list --bogus
