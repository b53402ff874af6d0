# the webhook family's help: particle-cli's arguments and the template file
$PCTL webhook create --help
$PCTL help integration delete
