$PCTL product device add no-such-product c08aa83b63f1ee08469ccdac
