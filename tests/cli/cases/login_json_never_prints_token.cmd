unset PARTICLE_ACCESS_TOKEN PARTICLE_API_BASE_URL
printf 'demo-password\n' | $PCTL login -u demo@example.com --password-stdin --api-url "$URL" --json > out.json || exit
cat out.json
tok=$(python3 -c 'import json,os; print(json.load(open(os.path.expanduser("~/.particle/particle.config.json")))["access_token"])')
echo "token in the output: $(grep -c "$tok" out.json)"
