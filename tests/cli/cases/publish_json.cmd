$PCTL publish cli-golden/publish 22.5 --public --ttl 30 --json
