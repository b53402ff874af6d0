# an upload needs --version and --title
$PCTL product firmware upload my-product "$SRC/README.md" --title x
