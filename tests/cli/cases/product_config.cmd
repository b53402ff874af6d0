# a product without a configuration, then one set from a file and read back (table, JSON);
# a device's own configuration; a section that is not an object is refused (422)
$PCTL product config get env-sensors
echo "rc=$?"
printf '{"imu_trig":{"motion":"disable"},"location":{"radius":10}}' > "$HOME/config.json"
$PCTL product config set env-sensors --data @"$HOME/config.json" >/dev/null || exit
$PCTL product config get env-sensors || exit
$PCTL product config get env-sensors --json || exit
$PCTL product config set env-sensors --data '{"location":5}'
echo "rc=$?"
