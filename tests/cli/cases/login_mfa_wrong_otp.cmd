unset PARTICLE_ACCESS_TOKEN PARTICLE_API_BASE_URL
printf 'mfa-password\n000000\n' | $PCTL login -u mfa@example.com --password-stdin --otp-stdin --api-url "$URL"
