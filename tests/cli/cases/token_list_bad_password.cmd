printf 'nope\n' | $PCTL token list -u demo@example.com --password-stdin
