# what the simulator refuses (exit 1 each): an unknown id on get, edit, test and delete
# (404), URLs it does not deliver to (400), an unknown product (404)
$PCTL webhook get 000000000000000000000000; echo "rc $?"
$PCTL integration get 000000000000000000000000 --json; echo "rc $?"
$PCTL integration edit 000000000000000000000000 --event x; echo "rc $?"
$PCTL webhook test 000000000000000000000000; echo "rc $?"
$PCTL integration test 000000000000000000000000 --product asset-tracker; echo "rc $?"
$PCTL webhook delete 000000000000000000000000 --yes; echo "rc $?"
$PCTL integration delete 000000000000000000000000 --org acme --yes; echo "rc $?"
$PCTL webhook create temp ftp://127.0.0.1/x; echo "rc $?"
$PCTL integration create temp 'http://exa mple/'; echo "rc $?"
$PCTL webhook list --product no-such-product; echo "rc $?"
$PCTL webhook list
