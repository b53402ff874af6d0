#!/usr/bin/env bash
# Interop test: the official JS SDK (particle-api-js 12, installed from the npm registry into
# a scratch folder) driven against particle-sim on a free loopback port.
# Runs every tests/interop/*.test.js (one file per API area).
# Usage: run.sh PATH/TO/particle-sim
set -euo pipefail
sim=$1
here=$(cd "$(dirname "$0")" && pwd)
# The npm install is kept between runs of one build tree (it only depends on the version).
scratch=${PARTICLE_INTEROP_DIR:-$(dirname "$sim")/interop-npm}
mkdir -p "$scratch"
if [ ! -f "$scratch/node_modules/particle-api-js/package.json" ]; then
    (cd "$scratch" && npm install --no-audit --no-fund --silent --prefix "$scratch" \
        particle-api-js@12 >/dev/null)
fi

out=$(mktemp)
"$sim" --listen 127.0.0.1:0 --seed 7 --offline-delay-ms 300 >"$out" 2>&1 &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; rm -f "$out"' EXIT
url=""
for _ in $(seq 1 100); do
    url=$(grep -o 'http://[0-9.:]*' "$out" | head -n 1 || true)
    [ -n "$url" ] && break
    sleep 0.1
done
if [ -z "$url" ]; then
    echo "particle-sim did not print its URL:" >&2
    cat "$out" >&2
    exit 1
fi

PARTICLE_SIM_URL=$url NODE_PATH="$scratch/node_modules" \
    node --test --test-reporter=spec "$here"/*.test.js
