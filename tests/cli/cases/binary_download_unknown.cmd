# a binary id the simulator does not know: 404, and no file
mkdir out && cd out || exit
$PCTL binary download 0123456789abcdef01234567
echo "exit $?"
[ -z "$(ls)" ] && echo "nothing saved"
