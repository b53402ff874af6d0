$PCTL subscribe --all-mine --device demo-argon-1
