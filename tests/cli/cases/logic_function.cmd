# logic functions in the sandbox: create (JSON), list (csv), get, disable, a ledger change
# records a run (particle-sim: status Failure, a log line saying no JavaScript ran), its
# logs, execute's documented 501, bad input, delete. Random ids are shown as <UUID>.
U='s/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<UUID>/g'
$PCTL ledger create lf-prefs --scope Owner --direction Downstream --json >/dev/null || exit
echo '{"name":"lf-golden","description":"on prefs","source":{"type":"JavaScript","code":"export default function main() {}"},"logic_triggers":[{"type":"LedgerChange","ledger_name":"lf-prefs"}]}' |
    $PCTL logic-function create --data - --json | sed -E "$U"
ID=$($PCTL logic-function list --csv | awk -F, '$2 == "lf-golden" {print $1}')
$PCTL logic-function list --today-stats --ndjson | sed -E "$U"
$PCTL logic-function get "$ID" | sed -E "$U"
$PCTL ledger instance set lf-prefs demo@example.com --data '{"a":1}' --json >/dev/null || exit
$PCTL logic-function runs "$ID" --csv | sed -E "$U"
RUN=$($PCTL logic-function runs "$ID" --csv | awk -F, 'NR == 2 {print $1}')
$PCTL logic-function run "$ID" "$RUN" --ndjson | sed -E "$U"
$PCTL logic-function logs "$ID" "$RUN"
$PCTL logic-function disable "$ID" --ndjson | sed -E "$U"
$PCTL logic-function execute --data '{"event":{"event_name":"t"},"source":{"type":"JavaScript","code":""}}'
$PCTL logic-function create --data '{"name":"x"}'
$PCTL logic-function update "$ID"
$PCTL logic-function get nope
$PCTL logic-function delete "$ID" --yes | sed -E "$U"
$PCTL logic-function list
