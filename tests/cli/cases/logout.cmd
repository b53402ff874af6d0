# logout revokes the token (a new login's, so the demo token stays valid) and forgets it
unset PARTICLE_ACCESS_TOKEN PARTICLE_API_BASE_URL
printf 'demo-password\n' | $PCTL login -u demo@example.com --password-stdin --api-url "$URL" -q > /dev/null || exit
tok=$(python3 -c 'import json,os; print(json.load(open(os.path.expanduser("~/.particle/particle.config.json")))["access_token"])')
$PCTL logout || exit
python3 -c 'import json,os; print(sorted(json.load(open(os.path.expanduser("~/.particle/particle.config.json")))))'
$PCTL whoami
echo "whoami after logout: $?"
echo "$tok" | $PCTL whoami --token-stdin
echo "revoked token: $?"
