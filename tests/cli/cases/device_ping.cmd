$PCTL device ping demo-argon-1; $PCTL device ping demo-photon-1 --json
