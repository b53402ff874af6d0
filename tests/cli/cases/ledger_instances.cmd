# instances of an organization ledger: set (Replace, Merge, from stdin), get, list, versions
$PCTL ledger create fleet --org acme --scope Product --direction Downstream --json >/dev/null || exit
$PCTL ledger instance set fleet asset-tracker --org acme --data '{"interval":60,"mode":"eco"}' || exit
$PCTL ledger instance set fleet 10001 --org acme --merge --data '{"mode":"max"}' --json || exit
echo '{"interval":5}' | $PCTL ledger instance set fleet 10001 --org acme --data - --ndjson || exit
$PCTL ledger instance get fleet 10001 --org acme --json || exit
$PCTL ledger instance list fleet --org acme --csv || exit
$PCTL ledger instance versions fleet 10001 --org acme --json || exit
$PCTL ledger instance version fleet 10001 1 --org acme --ndjson || exit
$PCTL ledger instance set fleet 99999 --org acme --data '{}'
$PCTL ledger instance set fleet 10001 --org acme --data '[1]'
$PCTL ledger instance set fleet 10001 --org acme
$PCTL ledger instance delete fleet 10001 --org acme --yes || exit
$PCTL ledger instance get fleet 10001 --org acme
