# logout revokes the token in effect: one from PARTICLE_ACCESS_TOKEN is revoked, and the
# profile's own (different, still valid) token stays in the profile and keeps working
unset PARTICLE_ACCESS_TOKEN PARTICLE_API_BASE_URL
printf 'demo-password\n' | $PCTL login -u demo@example.com --password-stdin --api-url "$URL" -q > /dev/null || exit
other=$(printf 'demo-password\n' | $PCTL token create -u demo@example.com --password-stdin --expires-in 1h) || exit
PARTICLE_ACCESS_TOKEN=$other $PCTL logout || exit
python3 -c 'import json,os; print(sorted(json.load(open(os.path.expanduser("~/.particle/particle.config.json")))))'
$PCTL whoami
echo "profile token after logout: $?"
echo "$other" | $PCTL whoami --token-stdin
echo "revoked token: $?"
