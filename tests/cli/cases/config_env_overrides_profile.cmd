# PARTICLE_ACCESS_TOKEN and PARTICLE_API_BASE_URL win over the profile; --api-url over both
mkdir -p "$HOME/.particle"
printf '{"apiUrl": "%s", "access_token": "0000000000000000000000000000000000000000"}\n' "$CLOSED_URL" \
    > "$HOME/.particle/particle.config.json"
$PCTL whoami
unset PARTICLE_API_BASE_URL
$PCTL whoami
echo "profile URL: $?"
$PCTL whoami --api-url "$URL"
