# a number that is not a file is a product firmware version: it needs --product
$PCTL flash lamp 3
