$PCTL call demo-argon-1 setTemp 23.5 && $PCTL get demo-argon-1 setpoint && $PCTL call demo-argon-1 setTemp 21.5 --json
