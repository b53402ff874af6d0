$PCTL subscribe --device no-such-device --until 10s
