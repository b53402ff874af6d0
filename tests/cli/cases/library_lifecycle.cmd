# a contributed library: upload a .tar.gz (private), view, publish, delete refusals, a
# private one deleted; downloading a sample library's archive
mkdir -p "$HOME/lib/src" && cd "$HOME" || exit
printf 'name=CliGoldenLib\nversion=0.1.0\nauthor=Demo\nsentence=Golden test library\narchitectures=particle-argon\n' >lib/library.properties
echo '#pragma once' >lib/src/CliGoldenLib.h
tar czf golden.tar.gz -C lib . || exit
$PCTL library upload golden.tar.gz || exit
$PCTL library list --scope mine --json || exit
$PCTL library upload golden.tar.gz
$PCTL library publish CliGoldenLib --ndjson || exit
$PCTL library delete CliGoldenLib --yes
sed -i 's/CliGoldenLib/CliScratchLib/' lib/library.properties && tar czf scratch.tar.gz -C lib . || exit
$PCTL library upload scratch.tar.gz --csv || exit
$PCTL library delete CliScratchLib && echo "rc without --yes: 0"
$PCTL library delete CliScratchLib --yes || exit
$PCTL library delete CliScratchLib --yes
$PCTL library upload missing.tar.gz
$PCTL library download neopixel --version 1.0.3 || exit
tar tzf neopixel-1.0.3.tar.gz || exit
$PCTL library download Adafruit_DHT --save-to dht.tar.gz --json || exit
tar xzOf dht.tar.gz library.properties | head -2
