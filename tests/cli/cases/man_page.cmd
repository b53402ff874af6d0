# the man page is troff generated from the help text: one section per command
$PCTL --help-man > particlectl.1
head -n 1 particlectl.1 | sed -E 's/[0-9]+\.[0-9]+\.[0-9]+/X.Y.Z/'
echo "sections: $(grep -c '^\.SH' particlectl.1)"
echo "commands: $(grep -c '^\.SS' particlectl.1) of $($PCTL --help | sed -n '/^Commands:/,/^$/p' | grep -c '^  [a-z]')"
grep '^\.SS' particlectl.1 | head -n 3
