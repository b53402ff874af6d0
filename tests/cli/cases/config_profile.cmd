# config: show, switch and list particle-cli profiles (profile.json names the active one)
unset PARTICLE_ACCESS_TOKEN
$PCTL config
$PCTL config --list
$PCTL login --token-file <(echo "$TOKEN") --api-url "$URL" >/dev/null
$PCTL config staging
cat ~/.particle/profile.json; echo
stat -c '%a' ~/.particle/profile.json
$PCTL whoami
echo "rc $?"
$PCTL config --list
$PCTL config particle --json | sed "s#$HOME#<HOME>#"
$PCTL whoami
# --profile NAME: that profile for one command, the active one unchanged
$PCTL config staging >/dev/null
$PCTL --profile particle whoami
echo "rc $?"
cat ~/.particle/profile.json; echo
$PCTL config particle >/dev/null
$PCTL --profile nosuch whoami 2>&1 | sed "s#$HOME#<HOME>#"
$PCTL --profile ../evil whoami
echo "rc $?"
$PCTL config --list --csv
$PCTL config ../evil
echo "rc $?"
$PCTL config a b
echo "rc $?"
