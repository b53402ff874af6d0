$PCTL subscribe cli-golden/nothing --until 500ms
