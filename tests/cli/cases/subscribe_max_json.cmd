# one event published while subscribed arrives as one JSON line; --max stops the stream
$PCTL subscribe cli-golden/sub --max 1 --json > events.txt &
sub=$!
for _ in $(seq 1 100); do
    $PCTL publish cli-golden/sub/temp 42 -q > /dev/null
    [ -s events.txt ] && break
    sleep 0.1
done
wait $sub
echo "subscribe exit: $?"
cat events.txt
