# a user webhook against the simulator: create, list (table, JSON, NDJSON, CSV), get, test
# and delete, then the list is empty again (the 24-hex id is printed as <ID>)
set -o pipefail
out=$($PCTL webhook create wh-life http://127.0.0.1:9/in --name "life hook") || exit
id=$(printf '%s\n' "$out" | grep -o '[0-9a-f]\{24\}')
ids() { sed -e "s/$id/<ID>/g"; }
printf '%s\n' "$out" | ids
$PCTL webhook list | ids || exit
$PCTL webhook list --json | ids || exit
$PCTL webhook list --ndjson | ids || exit
$PCTL webhook list --csv | ids || exit
$PCTL webhook get "$id" | ids || exit
$PCTL webhook get "$id" --json | ids || exit
$PCTL webhook test "$id" --data 21.5 | ids || exit
$PCTL webhook test "$id" --json | ids || exit
$PCTL webhook delete "$id" --yes | ids || exit
$PCTL webhook list
