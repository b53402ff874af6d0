$PCTL publish temp --ttl
