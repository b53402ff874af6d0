# an MFA account: the one-time password comes from the next line of stdin
unset PARTICLE_ACCESS_TOKEN PARTICLE_API_BASE_URL
printf 'mfa-password\n123456\n' | $PCTL login -u mfa@example.com --password-stdin --otp-stdin --api-url "$URL" || exit
$PCTL whoami
