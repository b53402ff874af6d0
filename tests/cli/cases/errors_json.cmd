# under --json (or --ndjson) every error is one JSON object on stderr, with the HTTP status
$PCTL get no-such-device --json
echo "rc $?"
$PCTL get demo-argon-1 no_such_variable --ndjson
echo "rc $?"
$PCTL call demo-argon-1 no_such_function --json
echo "rc $?"
$PCTL get demo-photon-1 setpoint --json
echo "rc $?"
$PCTL call demo-photon-1 led on --json
echo "rc $?"
$PCTL list --bad-option --json
echo "rc $?"
$PCTL --json get demo-argon-1 temperature --token-file missing-token
echo "rc $?"
