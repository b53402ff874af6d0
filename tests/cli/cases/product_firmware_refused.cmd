# product firmware the simulator refuses: an empty binary, one for another platform (an
# Argon binary for a Boron product), an oversized one (400 each), a release of an unknown
# version (404); nothing is stored (product_firmware_round_trip: a version that exists)
fw=$SRC/tests/data/firmware
$PCTL product firmware upload asset-tracker "$fw/empty.bin" --version 8 --title Empty
echo "exit $?"
$PCTL product firmware upload asset-tracker "$fw/argon-app.bin" --version 8 --title Argon
echo "exit $?"
{ cat "$fw/boron-app-a.bin"; head -c 524288 /dev/zero; } > big.bin
$PCTL product firmware upload asset-tracker big.bin --version 8 --title Big
echo "exit $?"
$PCTL product firmware release asset-tracker 99 --product-default
echo "exit $?"
