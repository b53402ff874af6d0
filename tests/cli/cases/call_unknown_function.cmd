$PCTL call demo-argon-1 no_such_function
