# an unknown platform name stops compile before anything is sent
$PCTL compile toaster "$SRC/README.md"
