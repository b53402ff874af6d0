printf 'demo-password\n' | $PCTL token create -u demo@example.com --password-stdin --never-expires --json \
    | sed -E 's/"[0-9a-f]{40}"/"<NEW TOKEN>"/'
