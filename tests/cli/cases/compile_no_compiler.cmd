# compiling source: particle-sim has no compiler and answers the documented error
# (docs/COMPATIBILITY.md), which compile prints; nothing is saved
mkdir src && cd src || exit
printf 'void setup() {}\nvoid loop() {}\n' > app.ino
$PCTL compile boron app.ino --saveTo app.bin
echo "exit $?"
[ -e app.bin ] || echo "app.bin was not written"
