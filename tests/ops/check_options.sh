#!/usr/bin/env bash
# particle-bridge --check-config and particle-sim --check-fleet: exit 0 on the shipped
# samples (dist/config/), 2 with every problem named by line on a broken file.
# Usage: check_options.sh PARTICLE_BRIDGE PARTICLE_SIM
set -euo pipefail
bridge=$1 sim=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check_options: $*" >&2; exit 1; }

# The sample as shipped: valid (secrets are the service's environment: only a note).
env -u PARTICLE_ACCESS_TOKEN -u PARTICLE_BRIDGE_API_KEY \
    "$bridge" --check-config "$top/dist/config/particle-bridge.ini" >"$work/out" 2>"$work/err" ||
    fail "the sample config is refused: $(cat "$work/err")"
grep -q 'particle-bridge.ini: OK' "$work/out" || fail "no OK line"
grep -q 'note: PARTICLE_ACCESS_TOKEN' "$work/err" || fail "no note about the missing token"

cat >"$work/bad.ini" <<'INI'
[cloud]
sync_interval = soon
products = a, b
[api]
prot = 80
port = 99999
INI
status=0
"$bridge" --check-config "$work/bad.ini" 2>"$work/err" || status=$?
[ "$status" = 2 ] || fail "--check-config on a bad file: exit $status, wanted 2"
for want in 'bad.ini:2: \[cloud\] sync_interval: expected a duration' \
    'bad.ini:5: unknown key \[api\] prot' 'bad.ini:6: \[api\] port: expected 0 to 65535' \
    'bad.ini: 3 problems'; do
    grep -q "$want" "$work/err" || fail "missing '$want' in: $(cat "$work/err")"
done
status=0
"$bridge" --check-config "$work/missing.ini" 2>/dev/null || status=$?
[ "$status" = 2 ] || fail "--check-config on a missing file: exit $status, wanted 2"

# The sample fleet and the test fleets load; a file with three broken elements names three.
"$sim" --check-fleet "$top/dist/config/particle-sim-fleet.json" | grep -q ': OK$' ||
    fail "the sample fleet is refused"
"$sim" --check-fleet "$top/tests/data/fleets/small.json" >/dev/null || fail "small.json refused"
cat >"$work/fleet.json" <<'JSON'
{
  "users": [
    {"username": "a@example.com", "password": "pw"},
    {"username": "b@example.com", "pasword": "typo"}
  ],
  "templates": [{"name": "t"}],
  "devices": [
    {"name": "one", "template": "t", "owner": "a@example.com"},
    {"name": "two", "template": "nope", "owner": "a@example.com"},
    {"name": "three", "template": "t", "owner": "a@example.com"},
    {"name": "four", "template": "t", "owner": "a@example.com", "colour": 1}
  ]
}
JSON
status=0
"$sim" --check-fleet "$work/fleet.json" 2>"$work/err" || status=$?
[ "$status" = 2 ] || fail "--check-fleet on a bad fleet: exit $status, wanted 2"
for want in 'fleet.json:4: users\[1\]: .*pasword' \
    'fleet.json:9: devices\[1\].template: unknown template "nope"' \
    'fleet.json:11: devices\[3\]: .*colour' 'fleet.json: 3 problems'; do
    grep -q "$want" "$work/err" || fail "missing '$want' in: $(cat "$work/err")"
done
status=0
"$sim" --check-fleet "$top/tests/data/fleets/bad_syntax.json" 2>"$work/err" || status=$?
[ "$status" = 2 ] && grep -q 'bad_syntax.json:2: ' "$work/err" || fail "syntax error not by line"
echo "check_options: OK"
