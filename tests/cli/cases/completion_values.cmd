# completion of device, variable and function names (from the cache), list filters,
# options per command (from its help), subcommands; the cache is 0600 in
# $XDG_CACHE_HOME/particlectl and is used while fresh
export XDG_CACHE_HOME="$PWD/cache"
c() { echo "[$*]"; $PCTL __complete "$@" | tr '\n' ' '; echo; }
c get demo-a
c get demo-argon-1 hu
c call demo-argon-1 ''
c monitor demo-argon-1 --delay 1s t
c variable list d
c list o
c list ph
c sim ''
c vitals --h
c sim reactivate x --
c get --product my-product demo-b
c get no-such-device ''
$PCTL __complete '' | grep -xE 'fleet-usage|monitor|vitals|config|variable|function' | sort | tr '\n' ' '; echo
ls cache/particlectl | sed -E 's/[0-9a-f]{16}/<HASH>/'
stat -c '%a' cache/particlectl cache/particlectl/devices-*.json
# a fresh cache answers without the API: a dead URL still completes the names
PARTICLE_API_BASE_URL=$URL $PCTL __complete get demo-p | tr '\n' ' '; echo
# a failure offers nothing and prints nothing
PARTICLE_API_BASE_URL=$CLOSED_URL XDG_CACHE_HOME="$PWD/other" $PCTL __complete get d
echo "rc $?"
