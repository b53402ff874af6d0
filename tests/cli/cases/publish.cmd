$PCTL publish cli-golden/publish 22.5
