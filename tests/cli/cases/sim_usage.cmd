# usage of this month, day by day: dates and amounts change with the calendar
# (alignment too: squeezed), and on the 1st of a month there is one day only
n() { sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}/<DATE>/g; s/[0-9]+(\.[0-9]+)?/<N>/g' | tr -s ' ' | head -n "${1:-2}"; }
$PCTL sim usage 89014518530070426951 | n
$PCTL sim usage 89014518530070426951 --json | n 3
$PCTL sim usage 89014518530070426951 --ndjson | n
$PCTL sim usage 89014518530070426951 --csv | n
$PCTL fleet-usage --product asset-tracker | n 3
$PCTL fleet-usage --product asset-tracker --json | n 4
$PCTL fleet-usage --product asset-tracker --ndjson | n
$PCTL fleet-usage --product asset-tracker --csv | n
$PCTL fleet-usage
echo "rc $?"
$PCTL fleet-usage --product no-such-product
echo "rc $?"
