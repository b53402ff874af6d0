# a sandbox ledger: create (table), get (JSON), update, list (ndjson, csv), archive
$PCTL ledger create settings --scope Owner --direction Downstream --description "Fleet knobs" || exit
$PCTL ledger get settings --json || exit
$PCTL ledger update settings --description "Changed" --ndjson || exit
$PCTL ledger create readings --scope Device --direction Upstream --json || exit
$PCTL ledger list --scope Device --ndjson || exit
$PCTL ledger list --csv || exit
$PCTL ledger create settings --scope Owner --direction Downstream
$PCTL ledger create nothing
$PCTL ledger archive readings && echo "rc without --yes: 0"
$PCTL ledger archive readings --yes || exit
$PCTL ledger list --archived --json || exit
$PCTL ledger get nope
