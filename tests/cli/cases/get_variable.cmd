$PCTL get demo-argon-1 setpoint
