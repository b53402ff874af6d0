# the sample libraries: list with filters (table, JSON, ndjson, csv), search, view, versions
$PCTL library list --scope official || exit
$PCTL library list --scope verified --sort popularity --limit 2 --json || exit
$PCTL library list --architectures particle-electron --exclude-scopes official,featured --ndjson || exit
$PCTL library list --category Sensors --csv || exit
$PCTL library search json --table || exit
$PCTL library view InternetButton || exit
$PCTL library view neopixel --version 1.0.0 --json || exit
$PCTL library versions neopixel --csv || exit
$PCTL library versions neopixel --page 2 --limit 1 --ndjson || exit
$PCTL library list --filter nothing-matches
$PCTL library list --scope everything
$PCTL library list --page 0
$PCTL library view no-such-library
