# monitor: reads a variable on an interval, one timestamped line per read; values vary
n() { sed -E 's/(  |,|"value":)-?[0-9]+(\.[0-9]+)?(}?)$/\1<V>\3/'; }
$PCTL monitor demo-argon-1 temperature --max 2 --delay 100ms | n
$PCTL monitor demo-argon-1 status --max 2 --delay 100ms --ndjson
$PCTL monitor demo-argon-1 humidity --max 2 --delay 100ms --csv | n
$PCTL monitor demo-argon-1 temperature --max 1 --json | n
# SIGINT stops it cleanly (status 0) after the first read
$PCTL monitor demo-argon-1 status --delay 30s > out.txt &
pid=$!
for _ in $(seq 1 100); do [ -s out.txt ] && break; sleep 0.1; done
kill -INT $pid
wait $pid
echo "rc $?"
cat out.txt
# a failed read is reported and the next one made, until --max (the photon is offline)
$PCTL monitor demo-photon-1 setpoint --max 3 --delay 100ms
echo "rc $?"
$PCTL monitor demo-argon-1 no_such_variable --json --max 2 --delay 100ms
echo "rc $?"
# a refused token stops it at the first read
echo 0000000000000000000000000000000000000000 > bad_token
$PCTL monitor demo-argon-1 temperature --max 3 --delay 100ms --token-file bad_token
echo "rc $?"
$PCTL monitor demo-argon-1 temperature --delay 10ms
echo "rc $?"
$PCTL monitor demo-argon-1 temperature --max 0
echo "rc $?"
