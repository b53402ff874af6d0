# a customer's password changed by a team member (read from stdin), then the customer logs in
# with it (password grant, a profile of its own); a shadow customer has no password to change
printf 'n3w-secret\n' | $PCTL customer password asset-tracker customer2@example.com --password-stdin || exit
unset PARTICLE_ACCESS_TOKEN
printf 'n3w-secret\n' | $PCTL login -u customer2@example.com --password-stdin --api-url "$URL" || exit
export PARTICLE_ACCESS_TOKEN=$TOKEN
printf 'x\n' | $PCTL customer password asset-tracker shadow@example.com --password-stdin
