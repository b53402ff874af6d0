$PCTL api GET /v1/devices/no-such-device
