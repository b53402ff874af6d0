$PCTL get no-such-device
