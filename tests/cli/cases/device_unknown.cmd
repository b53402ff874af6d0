$PCTL device ping no-such-device
