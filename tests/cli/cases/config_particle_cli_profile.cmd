# a profile written by particle-cli (profile.json names it; unknown keys present) just works
unset PARTICLE_ACCESS_TOKEN PARTICLE_API_BASE_URL
mkdir -p "$HOME/.particle"
printf '{"name": "staging"}\n' > "$HOME/.particle/profile.json"
cat > "$HOME/.particle/staging.config.json" <<JSON
{"apiUrl": "$URL", "access_token": "$TOKEN", "username": "demo@example.com",
 "access_token_expires_at": 1893456000000, "proxyUrl": ""}
JSON
$PCTL whoami --json
