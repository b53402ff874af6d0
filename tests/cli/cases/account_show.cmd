# the fleet's demo account: names the simulator gives fleet users, MFA off
$PCTL account show --json
