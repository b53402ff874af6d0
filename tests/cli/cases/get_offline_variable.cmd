$PCTL get demo-photon-1 setpoint
