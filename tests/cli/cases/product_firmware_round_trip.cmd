# product firmware against particle-sim: upload a fixture binary, the same version again
# (409), list, get (JSON), release to a group without devices (pilot-fleet: no device
# updates), download to a named file and to the default name (the uploaded bytes), then
# flash tracker-1 with the released version (a lock; the simulation clock is advanced past
# the update). _id is random: left out.
fw=$SRC/tests/data/firmware
$PCTL product firmware upload asset-tracker "$fw/boron-app-a.bin" --version 7 --title Golden \
    --description 'from the golden case' | grep -v '^_\?id:' || exit
$PCTL product firmware upload asset-tracker "$fw/boron-app-b.bin" --version 7 --title Again
echo "exit $?"
$PCTL product firmware list asset-tracker || exit
$PCTL product firmware get asset-tracker 7 --json | grep -v '"_id"' || exit
$PCTL product firmware release asset-tracker 7 --groups pilot-fleet | grep -v '^_\?id:' || exit
$PCTL product firmware download asset-tracker 7 --saveTo got.bin || exit
cmp got.bin "$fw/boron-app-a.bin" && echo "got.bin is the uploaded binary"
$PCTL product firmware download asset-tracker 7 || exit
cmp firmware_v7.bin "$fw/boron-app-a.bin" && echo "firmware_v7.bin is the uploaded binary"
$PCTL flash tracker-1 7 --product asset-tracker || exit
$PCTL api POST /sim/clock/advance --data '{"ms":30000}' > /dev/null || exit
echo "devices running version 7: $($PCTL api GET /v1/products/asset-tracker/devices | grep -c '"firmware_version": 7,')"
