# a device's vitals: one record per vital (its dotted path); values vary, so numbers are
# masked; --history lists every record, --refresh asks for new ones
n() { sed -E 's/-?[0-9]+(\.[0-9]+)?$/<N>/; s/:-?[0-9]+(\.[0-9]+)?([,}])/:<N>\2/g; s/,-?[0-9]+(\.[0-9]+)?$/,<N>/'; }
$PCTL vitals demo-argon-1 | head -n 4 | n
$PCTL vitals demo-argon-1 --json | head -n 7 | n
$PCTL vitals demo-argon-1 --ndjson | head -n 2 | n
$PCTL vitals demo-argon-1 --csv | head -n 3 | n
$PCTL vitals demo-argon-1 --history --csv | cut -d, -f2 | sort | uniq -c | sort -rn | head -n 3 | awk '{print ($1 > 0), $2}'
$PCTL vitals demo-argon-1 --history --from 2020-01-01
echo "rc $?"
$PCTL vitals demo-argon-1 --refresh
$PCTL vitals demo-argon-1 --refresh --json
$PCTL vitals no-such-device
echo "rc $?"
$PCTL vitals demo-argon-1 --from 2026-11-01
echo "rc $?"
$PCTL vitals demo-argon-1 --history --from yesterday
echo "rc $?"
