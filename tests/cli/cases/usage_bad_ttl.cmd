$PCTL publish temp 1 --ttl -5
