# no scope, two scopes, a bad pair, a bad name, an unknown variable, product and --when
$PCTL env list
echo "rc $?"
$PCTL env list --sandbox --org acme
echo "rc $?"
$PCTL env set JUSTANAME --sandbox
echo "rc $?"
$PCTL env set 9BAD x --sandbox
echo "rc $?"
$PCTL env delete NOPE --sandbox
echo "rc $?"
$PCTL env list --product no-such-product
echo "rc $?"
$PCTL env rollout --sandbox --when later
echo "rc $?"
$PCTL env list --sandbox
