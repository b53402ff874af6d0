# flash a developer device with a fixture binary, then one for another platform (400);
# advancing the simulation clock past the update (20 s flashing, 5 s reboot) brings the
# device back online before the next case
fw=$SRC/tests/data/firmware
$PCTL flash demo-boron-1 "$fw/boron-app-a.bin" || exit
$PCTL flash demo-boron-1 "$fw/argon-app.bin"
echo "exit $?"
$PCTL api POST /sim/clock/advance --data '{"ms":30000}' > /dev/null || exit
$PCTL get demo-boron-1 --csv | cut -d, -f2,5
