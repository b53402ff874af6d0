$PCTL product device list no-such-product
