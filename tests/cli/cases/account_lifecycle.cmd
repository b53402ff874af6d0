# sign up, log in, set names, change the password (a wrong current one first), the tracking
# identity, MFA enrolment started (the secret is random) and a wrong confirmation, delete
printf 'first-pw\n' | $PCTL account create cli-acct@example.com --password-stdin --first-name Cli || exit
token=$(printf 'first-pw\n' | $PCTL token create -u cli-acct@example.com --password-stdin) || exit
export PARTICLE_ACCESS_TOKEN=$token
$PCTL account set --company 'Acme Ltd' --business || exit
printf 'wrong\nsecond-pw\n' | $PCTL account password --password-stdin
echo "rc $?"
printf 'first-pw\nsecond-pw\n' | $PCTL account password --password-stdin --json || exit
$PCTL account identity --json || exit
$PCTL account mfa enable --json | sed -E 's/[A-Z2-7]{32}/<SECRET>/g; s/"[0-9a-f]{40}"/"<TOKEN>"/'
printf '000000\n' | $PCTL account mfa confirm not-the-token --otp-stdin
echo "rc $?"
printf 'second-pw\n' | $PCTL account mfa disable --password-stdin
echo "rc $?"
$PCTL account delete --password-stdin </dev/null
echo "rc $?"
printf 'second-pw\n' | $PCTL account delete --yes --password-stdin || exit
$PCTL account show
echo "rc $?"
$PCTL account reset-password cli-acct@example.com
