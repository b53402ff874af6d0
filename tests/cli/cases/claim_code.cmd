# the user's claim code is random: show its length and the JSON keys, not the code
code=$($PCTL claim-code) || exit
echo "code length: ${#code}"
$PCTL claim-code --json | sed -E 's/"claim_code": "[^"]*"/"claim_code": "<CODE>"/'
