unset PARTICLE_ACCESS_TOKEN
echo 0000000000000000000000000000000000000000 > token.txt
$PCTL login --token-file token.txt
echo "exit: $?"
test -e "$HOME/.particle/particle.config.json" && echo "profile written" || echo "no profile written"
