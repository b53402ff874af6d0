# every page: the same devices whatever the page size (online and last_heard may change
# between the two listings, so they are left out of the comparison)
$PCTL product device list asset-tracker --per-page 7 --csv | cut -d, -f1-4,7- > small.csv || exit
$PCTL product device list asset-tracker --per-page 100 --csv | cut -d, -f1-4,7- > big.csv || exit
cmp small.csv big.csv && echo "same devices with 7 and 100 per page"
echo "devices: $(($(wc -l < big.csv) - 1))"
head -n 3 big.csv
