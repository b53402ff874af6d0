$PCTL publish cli-golden/publish "a,b" --csv
