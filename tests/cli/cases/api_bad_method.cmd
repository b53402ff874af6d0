$PCTL api FETCH /v1/user
