$PCTL api POST /v1/devices/events --data "{bad"
