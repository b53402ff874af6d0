#!/usr/bin/env bash
# docs/BRIDGE.md's webhook walkthrough ("Trying it with particle-sim"), run as it stands.
#
#   tests/docs/bridge_webhook_walkthrough.sh PARTICLE_SIM PARTICLECTL PARTICLE_BRIDGE
#
# Takes the ```sh block after "<!-- walkthrough: webhook -->", moves its ports 8080 and 8081
# to free loopback ports, runs it with bash -e in a scratch directory with the three
# programs first on PATH, and checks what it prints: the integration the bridge created
# (event, the bridge's URL), at least one successful delivery, the bridge's webhook request
# counter, and no integration left after --remove-webhook. Whatever the block started is
# stopped at the end (its own session, ended by its process group id).
set -uo pipefail

if [ $# -ne 3 ]; then
    echo "usage: $0 PARTICLE_SIM PARTICLECTL PARTICLE_BRIDGE" >&2
    exit 2
fi
bin_path="$(dirname "$(realpath "$1")"):$(dirname "$(realpath "$2")"):$(dirname "$(realpath "$3")")"
doc="$(cd "$(dirname "$0")/../.." && pwd)/docs/BRIDGE.md"
scratch=$(mktemp -d /tmp/bridge-walkthrough.XXXXXX)
pgid=""
cleanup() {
    [ -n "$pgid" ] && kill -- "-$pgid" 2>/dev/null
    rm -rf "$scratch"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
sim_port=$(free_port)
bridge_port=$(free_port)
while [ "$bridge_port" = "$sim_port" ]; do bridge_port=$(free_port); done

awk '/<!-- walkthrough: webhook -->/ { found = 1; next }
     found && /^```sh/ { body = 1; next }
     body && /^```/ { exit }
     body { print }' "$doc" |
    sed -e "s/:8080/:$sim_port/g" -e "s/:8081/:$bridge_port/g" -e "s/= 8081\$/= $bridge_port/" \
        >"$scratch/walkthrough.sh"
if ! grep -q particle-bridge "$scratch/walkthrough.sh"; then
    echo "no walkthrough block in $doc" >&2
    exit 1
fi

(
    cd "$scratch" || exit 99
    unset PARTICLE_ACCESS_TOKEN PARTICLE_API_BASE_URL PARTICLE_BRIDGE_API_KEY \
        PARTICLE_BRIDGE_WEBHOOK_SECRET
    export PATH="$bin_path:$PATH" ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
    exec setsid timeout 90 bash -e walkthrough.sh
) >"$scratch/out" 2>"$scratch/err" </dev/null &
pgid=$!
wait "$pgid"
rc=$?
pgid_done=$pgid
pgid=""
kill -- "-$pgid_done" 2>/dev/null # anything the block left running

fail() {
    echo "walkthrough: $1" >&2
    echo "--- stdout" >&2
    cat "$scratch/out" >&2
    echo "--- stderr" >&2
    cat "$scratch/err" >&2
    [ -f "$scratch/bridge.log" ] && { echo "--- bridge.log" >&2; cat "$scratch/bridge.log" >&2; }
    exit 1
}
[ "$rc" = 0 ] || fail "the block ended with status $rc"
grep -Eq "^[0-9a-f]{24} +Webhook +temperature +http://127\.0\.0\.1:$bridge_port/api/v1/webhook +POST" \
    "$scratch/out" || fail "no integration of the bridge in the list"
grep -Eq '^error_count: +0$' "$scratch/out" || fail "error_count is not 0"
grep -Eq '^success_count: +[1-9][0-9]*$' "$scratch/out" || fail "no successful delivery"
grep -Eq '^particle_bridge_webhook_requests_total [1-9][0-9]*$' "$scratch/out" ||
    fail "the bridge counted no webhook request"
[ "$(tail -n 1 "$scratch/out")" = "No integrations found." ] ||
    fail "--remove-webhook left the integration"
echo "walkthrough: ok"
