$PCTL call dev fn arg extra
