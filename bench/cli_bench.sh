#!/usr/bin/env bash
# particlectl start-up and listing benchmark (docs/BENCHMARKS.md, "particlectl").
# Usage: bench/cli_bench.sh BUILD_DIR   (a release tree with cli/particlectl, sim/particle-sim;
# scripts/bench runs it as it runs every executable bench/*.sh). Prints:
#   BENCH cli_list_ms <x> ms             median wall time of `particlectl list --json`
#   BENCH node_sdk_list_ms <x> ms        median wall time of the same listing through a one-line
#                                        Node script on particle-api-js 12 (npm registry)
#   BENCH cli_vs_node_list_ratio <x> x   node_sdk_list_ms / cli_list_ms (target: >= 20)
#   BENCH cli_version_ms <x> ms          median wall time of `particlectl --version`: start-up
#                                        alone (libcurl is not loaded for it, cli/curl_lazy.c)
#   BENCH process_floor_ms <x> ms        median wall time of /bin/true, the machine's floor
#   BENCH curl_tool_list_ms <x> ms       the curl tool making the same request (when installed):
#                                        the floor for any program on Debian's libcurl
# Both run as fresh processes against the same particle-sim on 127.0.0.1, so the figures
# include process start-up, which is what a user of a command-line tool waits for.
# Environment: CLI_BENCH_RUNS (runs of each, alternating; default 30).
set -euo pipefail

build_dir=${1:?usage: cli_bench.sh BUILD_DIR}
sim="$build_dir/sim/particle-sim"
pctl="$build_dir/cli/particlectl"
runs=${CLI_BENCH_RUNS:-30}
token=0123456789abcdef0123456789abcdef01234567 # the default fleet's demo token

for tool in node npm awk sort; do
    command -v "$tool" >/dev/null || { echo "cli_bench: $tool is not installed" >&2; exit 1; }
done
[ -x "$sim" ] || { echo "cli_bench: no $sim (build the release tree first)" >&2; exit 1; }
[ -x "$pctl" ] || { echo "cli_bench: no $pctl" >&2; exit 1; }

work=$(mktemp -d /tmp/cli_bench.XXXXXX)
sim_pid=""
cleanup() {
    if [ -n "$sim_pid" ]; then
        kill "$sim_pid" 2>/dev/null || true
        wait "$sim_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# particle-api-js from the npm registry, kept per build tree between runs.
npm_dir="$build_dir/bench-npm"
if [ ! -f "$npm_dir/node_modules/particle-api-js/package.json" ]; then
    mkdir -p "$npm_dir"
    npm install --no-audit --no-fund --silent --prefix "$npm_dir" particle-api-js@12 >/dev/null
fi

: >"$work/sim.out"
"$sim" --listen 127.0.0.1:0 --quiet >"$work/sim.out" 2>"$work/sim.err" </dev/null &
sim_pid=$!
url=""
for _ in $(seq 1 100); do
    url=$(sed -n 's/^particle-sim listening on \(http[^ ]*\).*/\1/p' "$work/sim.out")
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { echo "cli_bench: particle-sim did not start" >&2; cat "$work/sim.err" >&2; exit 1; }

# A scratch HOME: no profile of the user's gets read; the token comes from the environment.
export HOME="$work/home" PARTICLE_ACCESS_TOKEN=$token
mkdir -p "$HOME"
node_script="const P=require('particle-api-js');new P({baseUrl:process.argv[1]}).listDevices({auth:process.env.PARTICLE_ACCESS_TOKEN}).then(r=>process.stdout.write(JSON.stringify(r.body)),e=>{console.error(e.message);process.exit(1)})"

# Both must produce the same listing before anything is timed.
"$pctl" list --json --api-url "$url" >"$work/cli.json"
NODE_PATH="$npm_dir/node_modules" node -e "$node_script" "$url" >"$work/node.json"
cli_ids=$(grep -o '"id": "[0-9a-f]*"' "$work/cli.json" | grep -o '[0-9a-f]\{24\}' | sort | tr '\n' ' ')
node_ids=$(grep -o '"id":"[0-9a-f]*"' "$work/node.json" | grep -o '[0-9a-f]\{24\}' | sort | tr '\n' ' ')
if [ -z "$cli_ids" ] || [ "$cli_ids" != "$node_ids" ]; then
    echo "cli_bench: particlectl and particle-api-js list different devices" >&2
    exit 1
fi

# Microseconds from bash's own clock: no process is started to read it, so a sample holds the
# measured command alone (a `date` per sample added 2-3 ms to each, which weighed on the
# short commands only).
: >"$work/cli.ms"
: >"$work/node.ms"
: >"$work/version.ms"
: >"$work/true.ms"
: >"$work/curl.ms"
for _ in $(seq 1 "$runs"); do
    t0=${EPOCHREALTIME/./}
    "$pctl" list --json --api-url "$url" >/dev/null
    t1=${EPOCHREALTIME/./}
    NODE_PATH="$npm_dir/node_modules" node -e "$node_script" "$url" >/dev/null
    t2=${EPOCHREALTIME/./}
    "$pctl" --version >/dev/null
    t3=${EPOCHREALTIME/./}
    /bin/true
    t4=${EPOCHREALTIME/./}
    echo $((t1 - t0)) >>"$work/cli.ms"
    echo $((t2 - t1)) >>"$work/node.ms"
    echo $((t3 - t2)) >>"$work/version.ms"
    echo $((t4 - t3)) >>"$work/true.ms"
    # the floor for any program that makes this request with Debian's libcurl: the curl tool
    if command -v curl >/dev/null; then
        t5=${EPOCHREALTIME/./}
        curl -sf -H "Authorization: Bearer $token" "$url/v1/devices" >/dev/null
        t6=${EPOCHREALTIME/./}
        echo $((t6 - t5)) >>"$work/curl.ms"
    fi
done

# Median of microsecond samples, printed in milliseconds.
median_ms() {
    sort -n "$1" | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.2f", m / 1000 }'
}
cli_ms=$(median_ms "$work/cli.ms")
node_ms=$(median_ms "$work/node.ms")
echo "BENCH cli_list_ms $cli_ms ms"
echo "BENCH node_sdk_list_ms $node_ms ms"
awk -v c="$cli_ms" -v n="$node_ms" 'BEGIN { printf "BENCH cli_vs_node_list_ratio %.1f x\n", n / c }'
echo "BENCH cli_version_ms $(median_ms "$work/version.ms") ms"
echo "BENCH process_floor_ms $(median_ms "$work/true.ms") ms"
if [ -s "$work/curl.ms" ]; then
    echo "BENCH curl_tool_list_ms $(median_ms "$work/curl.ms") ms"
fi
