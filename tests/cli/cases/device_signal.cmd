$PCTL device signal demo-argon-1 on && $PCTL device signal demo-argon-1 off --json
