$PCTL frobnicate
