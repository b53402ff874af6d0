$PCTL help token
