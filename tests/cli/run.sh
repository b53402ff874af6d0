#!/usr/bin/env bash
# Golden tests of particlectl against particle-sim.
#
#   tests/cli/run.sh PARTICLE_SIM PARTICLECTL [CASE...]
#
# Starts particle-sim on a free loopback port, then runs each tests/cli/cases/<name>.cmd
# with bash in a fresh scratch HOME and compares its stdout, stderr and exit status with
# <name>.out, <name>.err and <name>.rc (a missing .out/.err means "empty", a missing .rc
# means 0). CLI_GOLDEN_UPDATE=1 rewrites the golden files from the actual results instead
# (review the diff before committing it).
#
# A case sees these variables:
#   PCTL        the particlectl binary
#   URL         particle-sim's base URL           CLOSED_URL  a loopback URL nobody listens on
#   TOKEN       the demo user's access token (also exported as PARTICLE_ACCESS_TOKEN,
#               with URL as PARTICLE_API_BASE_URL; config cases unset them)
#   HOME        a new empty directory per case    SRC         the source tree
#
# Volatile text is normalised in both stdout and stderr before comparing (FILTER below):
#   ISO-8601 timestamps (2026-11-21T21:48:40.382Z)  -> <TIME>
#   the simulator's URL                              -> <URL>
#   "port N" / "after N ms" in connection errors     -> "port <PORT>" / "after <N> ms"
# Everything else must match byte for byte.
set -uo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 PARTICLE_SIM PARTICLECTL [CASE...]" >&2
    exit 2
fi
SIM_BIN=$(realpath "$1")
PCTL=$(realpath "$2")
shift 2
here=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$here/../.." && pwd)
cases_dir="$here/cases"

scratch=$(mktemp -d /tmp/particlectl-golden.XXXXXX)
sim_pid=""
cleanup() {
    if [ -n "$sim_pid" ]; then
        kill "$sim_pid" 2>/dev/null
        wait "$sim_pid" 2>/dev/null
    fi
    rm -rf "$scratch"
}
trap cleanup EXIT

# The simulator: port 0, short offline timeouts, fixed seed (stable device ids).
"$SIM_BIN" --listen 127.0.0.1:0 --seed 1 --offline-delay-ms 200 --quiet \
    >"$scratch/sim.out" 2>"$scratch/sim.err" </dev/null &
sim_pid=$!
URL=""
for _ in $(seq 1 100); do
    URL=$(sed -n 's/^particle-sim listening on \(http[^ ]*\).*/\1/p' "$scratch/sim.out")
    [ -n "$URL" ] && break
    if ! kill -0 "$sim_pid" 2>/dev/null; then
        break
    fi
    sleep 0.1
done
if [ -z "$URL" ]; then
    echo "particle-sim did not start:" >&2
    cat "$scratch/sim.err" >&2
    exit 1
fi

TOKEN=0123456789abcdef0123456789abcdef01234567
# Port 1 on loopback: nothing listens there, so a connection is refused at once.
CLOSED_URL=http://127.0.0.1:1
export PCTL URL TOKEN CLOSED_URL SRC
unset NO_COLOR PARTICLE_ACCESS_TOKEN PARTICLE_API_BASE_URL
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

FILTER=(sed -E
    -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})/<TIME>/g'
    -e "s#${URL}#<URL>#g"
    -e 's/port [0-9]+/port <PORT>/g'
    -e 's/after [0-9]+ ms/after <N> ms/g')

if [ $# -gt 0 ]; then
    names=("$@")
else
    names=()
    for f in "$cases_dir"/*.cmd; do
        names+=("$(basename "$f" .cmd)")
    done
fi

passed=0
failed=0
for name in "${names[@]}"; do
    cmd="$cases_dir/$name.cmd"
    if [ ! -f "$cmd" ]; then
        echo "no such case: $name" >&2
        failed=$((failed + 1))
        continue
    fi
    work="$scratch/$name"
    mkdir -p "$work/home"
    (
        cd "$work" || exit 99
        export HOME="$work/home" PARTICLE_ACCESS_TOKEN=$TOKEN PARTICLE_API_BASE_URL=$URL
        exec timeout 60 bash "$cmd"
    ) >"$work/stdout.raw" 2>"$work/stderr.raw" </dev/null
    rc=$?
    "${FILTER[@]}" "$work/stdout.raw" >"$work/stdout"
    "${FILTER[@]}" "$work/stderr.raw" >"$work/stderr"
    echo "$rc" >"$work/rc"

    if [ "${CLI_GOLDEN_UPDATE:-0}" = 1 ]; then
        cp "$work/stdout" "$cases_dir/$name.out"
        cp "$work/stderr" "$cases_dir/$name.err"
        cp "$work/rc" "$cases_dir/$name.rc"
        for ext in out err; do
            [ -s "$cases_dir/$name.$ext" ] || rm -f "$cases_dir/$name.$ext"
        done
        [ "$rc" = 0 ] && rm -f "$cases_dir/$name.rc"
        echo "updated $name (rc $rc)"
        passed=$((passed + 1))
        continue
    fi

    ok=1
    for part in out:stdout err:stderr; do
        ext=${part%%:*}
        actual="$work/${part#*:}"
        expected="$cases_dir/$name.$ext"
        [ -f "$expected" ] || expected=/dev/null
        if ! cmp -s "$expected" "$actual"; then
            ok=0
            echo "--- $name: ${part#*:} differs" >&2
            diff -u "$expected" "$actual" | head -40 >&2
        fi
    done
    want_rc=0
    [ -f "$cases_dir/$name.rc" ] && want_rc=$(cat "$cases_dir/$name.rc")
    if [ "$rc" != "$want_rc" ]; then
        ok=0
        echo "--- $name: exit status $rc, expected $want_rc" >&2
    fi
    if [ "$ok" = 1 ]; then
        passed=$((passed + 1))
    else
        echo "FAIL $name" >&2
        failed=$((failed + 1))
    fi
done

if ! kill -0 "$sim_pid" 2>/dev/null; then
    echo "particle-sim died during the run:" >&2
    cat "$scratch/sim.err" >&2
    failed=$((failed + 1))
fi
echo "golden: $passed passed, $failed failed"
[ "$failed" = 0 ]
