$PCTL device remove demo-argon-1
