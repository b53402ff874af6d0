$PCTL get demo-argon-1 armed --json
