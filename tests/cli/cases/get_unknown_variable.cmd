$PCTL get demo-argon-1 no_such_variable
