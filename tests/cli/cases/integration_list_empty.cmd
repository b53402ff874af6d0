# a fresh simulator has no integrations: the table's note, JSON's empty array
$PCTL webhook list || exit
$PCTL integration list --json
