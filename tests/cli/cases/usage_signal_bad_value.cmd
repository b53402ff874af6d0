$PCTL device signal demo-argon-1 maybe
