# unknown ids are listed as invalid on stdout, summed up on stderr, with exit status 1
$PCTL product device add env-sensors ffffffffffffffffffffffff not-a-device --csv
