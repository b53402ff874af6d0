# create (table, then JSON), see it listed, delete it (needs --yes off a terminal)
$PCTL group create asset-tracker north_sea --description "Rigs" --color "#112233" || exit
$PCTL group create 10001 baltic --json || exit
$PCTL group list asset-tracker --name north --json || exit
$PCTL group delete asset-tracker north_sea && echo "rc without --yes: 0"
$PCTL group delete asset-tracker north_sea --yes || exit
$PCTL group delete asset-tracker baltic --yes --json || exit
$PCTL group list asset-tracker --csv
