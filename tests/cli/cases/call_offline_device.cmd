$PCTL call demo-photon-1 led on
