# store an existing token (checked with GET /v1/user) instead of logging in
unset PARTICLE_ACCESS_TOKEN PARTICLE_API_BASE_URL
printf '%s\n' "$TOKEN" > token.txt
$PCTL login --token-file token.txt --api-url "$URL" || exit
$PCTL whoami --json
echo "$TOKEN" | $PCTL login --token-stdin --api-url "$URL" --ndjson
