$PCTL help device rename
