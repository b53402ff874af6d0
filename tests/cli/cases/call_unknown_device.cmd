$PCTL call no-such-device led on
