$PCTL product get no-such-product
