# create a token (printed: it is what was asked for), see it listed, revoke it from stdin
new=$(printf 'demo-password\n' | $PCTL token create -u demo@example.com --password-stdin --expires-in 1h) || exit
echo "created 40 hex: $(echo "$new" | grep -cE '^[0-9a-f]{40}$')"
printf 'demo-password\n' | $PCTL token list -u demo@example.com --password-stdin --json > list.json || exit
python3 -c "import json,sys; print('listed:', any(t['token'] == '$new' for t in json.load(open('list.json'))))"
echo "$new" | $PCTL whoami --token-stdin
echo "$new" | $PCTL token revoke - || exit
echo "$new" | $PCTL whoami --token-stdin
echo "after revoke: $?"
