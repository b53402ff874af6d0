$PCTL get demo-argon-1
