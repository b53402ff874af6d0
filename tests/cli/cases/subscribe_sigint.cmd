# Ctrl-C stops the stream cleanly with status 0 and a count on stderr
$PCTL subscribe cli-golden/int --ndjson > events.txt 2> notes.txt &
sub=$!
for _ in $(seq 1 100); do
    $PCTL publish cli-golden/int/x hello -q > /dev/null
    [ -s events.txt ] && break
    sleep 0.1
done
kill -INT $sub
wait $sub
echo "subscribe exit: $?"
head -n 1 events.txt
sed -E 's/^[0-9]+ events? received\.$/N events received./' notes.txt
