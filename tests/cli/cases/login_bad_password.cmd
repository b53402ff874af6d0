unset PARTICLE_ACCESS_TOKEN
printf 'wrong\n' | $PCTL login -u demo@example.com --password-stdin
echo "exit: $?"
ls -A "$HOME"
