# integrations of a product and an organization against the simulator: create with a JSON
# template, list (table, JSON, NDJSON, CSV), get, edit (the API replaces; particlectl lays
# the change over the settings), test and delete; each scope lists only its own (ids <ID>)
set -o pipefail
printf '{"json":{"v":"{{{PARTICLE_EVENT_VALUE}}}"},"headers":{"X-Secret":"s"},"responseTopic":"answer"}' > hook.json
out=$($PCTL integration create int-life http://127.0.0.1:9/in --json-template hook.json --product asset-tracker) || exit
id=$(printf '%s\n' "$out" | grep -o '[0-9a-f]\{24\}')
ids() { sed -e "s/$id/<ID>/g"; }
printf '%s\n' "$out" | ids
$PCTL integration list --product asset-tracker | ids || exit
$PCTL integration list --product asset-tracker --json | ids || exit
$PCTL integration list --product asset-tracker --ndjson | ids || exit
$PCTL integration list --product asset-tracker --csv | ids || exit
$PCTL integration list --org acme --json || exit
$PCTL integration list || exit
$PCTL integration get "$id" --product asset-tracker | ids || exit
$PCTL integration edit "$id" --product asset-tracker --event int-life2 --request-type PUT | ids || exit
$PCTL integration get "$id" --product asset-tracker --json | ids || exit
$PCTL integration test "$id" --product asset-tracker --json | ids || exit
$PCTL integration delete "$id" --product asset-tracker --yes | ids || exit
out=$($PCTL integration create int-org http://127.0.0.1:9/org --org acme) || exit
id=$(printf '%s\n' "$out" | grep -o '[0-9a-f]\{24\}')
printf '%s\n' "$out" | ids
$PCTL integration list --org acme --ndjson | ids || exit
$PCTL integration get "$id" --org acme --json | ids || exit
$PCTL integration test "$id" --org acme | ids || exit
$PCTL integration delete "$id" --org acme --yes | ids || exit
$PCTL integration list --org acme
