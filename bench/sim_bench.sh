#!/usr/bin/env bash
# particle-sim benchmarks (docs/BENCHMARKS.md, "particle-sim"). Usage: bench/sim_bench.sh BUILD_DIR
# (a release build tree with sim/particle-sim and bench/bench_sim_fanout). Prints:
#   BENCH sim_devices_rps <x> req/s          GET /v1/devices, 25 devices, Bearer token, wrk -c50
#   BENCH static_rps <x> req/s               nginx serving the same body bytes, same wrk command
#   BENCH sim_vs_static_ratio <x> ratio
#   BENCH sim_sse_fanout_ms <x> ms           one event to 1,000 SSE subscribers (median)
# Memory is measured by bench/memory.sh (after every page of a 100,000-device list).
# Everything listens on 127.0.0.1 only; every wait has a deadline; the EXIT trap stops the
# processes this script started and removes its temporary directory, also on failure.
# Environment: SIM_BENCH_SECONDS (wrk duration per run, default 10), SIM_BENCH_RUNS (runs
# of each server, alternating, median reported; default 3).
set -euo pipefail

build_dir=${1:?usage: sim_bench.sh BUILD_DIR}
sim="$build_dir/sim/particle-sim"
fanout="$build_dir/bench/bench_sim_fanout"
seconds=${SIM_BENCH_SECONDS:-10}
runs=${SIM_BENCH_RUNS:-3}
token=0123456789abcdef0123456789abcdef01234567 # the bench fleet's token (and the demo's)

for tool in wrk nginx curl awk; do
    command -v "$tool" >/dev/null || { echo "sim_bench: $tool is not installed" >&2; exit 1; }
done
[ -x "$sim" ] || { echo "sim_bench: no $sim (build the release tree first)" >&2; exit 1; }
[ -x "$fanout" ] || { echo "sim_bench: no $fanout" >&2; exit 1; }

work=$(mktemp -d /tmp/sim_bench.XXXXXX)
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

# Starts particle-sim with the given fleet; sets sim_pid and sim_url. Waits (bounded) for
# the "listening on URL" line.
start_sim() {
    local fleet=$1 out="$work/sim.$RANDOM.out"
    : >"$out" # exists before the background start, for the wait loop
    "$sim" --listen 127.0.0.1:0 --quiet --fleet "$fleet" >"$out" 2>"$out.err" &
    sim_pid=$!
    pids+=("$sim_pid")
    sim_url=""
    local i
    for i in $(seq 600); do # 60 s: loading 100,000 devices takes a few seconds
        sim_url=$(sed -n 's/^particle-sim listening on //p' "$out")
        [ -n "$sim_url" ] && return 0
        kill -0 "$sim_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "sim_bench: particle-sim did not start:" >&2
    cat "$out.err" >&2
    exit 1
}

stop_sim() {
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
}

median() {
    sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# One wrk run; prints requests per second. Any non-2xx answer or socket error fails the run.
wrk_rps() {
    local out
    out=$(wrk -t2 -c50 -d"${seconds}s" --timeout 5s "$@")
    if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
        echo "sim_bench: wrk saw errors:" >&2
        echo "$out" >&2
        exit 1
    fi
    awk '/^Requests\/sec:/ { print $2 }' <<<"$out"
}

# Says on stderr whether a figure meets the issue's target (the BENCH lines are the data).
verdict() { # name value op target description
    local ok
    ok=$(awk -v v="$2" -v t="$4" -v op="$3" \
        'BEGIN { print ((op == "<" && v < t) || (op == ">=" && v >= t)) ? "met" : "MISSED" }')
    echo "sim_bench: target $1 $3 $4 ($5): $ok ($2)" >&2
}

# A template like the default fleet's "developer" one, so device objects have its size.
template='{"name": "dev",
  "variables": [
    {"name": "temperature", "type": "double", "behaviour": "sine", "min": 18, "max": 26, "period_ms": 600000},
    {"name": "humidity", "type": "double", "behaviour": "random_walk", "value": 45, "step": 0.5, "min": 20, "max": 80, "period_ms": 5000},
    {"name": "uptime", "type": "int32", "behaviour": "counter", "step": 5, "period_ms": 5000},
    {"name": "status", "type": "string", "value": "ok"},
    {"name": "color", "type": "string", "behaviour": "set_by_function", "value": "0,0,0"}],
  "functions": [
    {"name": "led", "behaviour": "validate", "args": 3, "min": 0, "max": 255, "variable": "color"},
    {"name": "reset"}],
  "publishers": [{"name": "temperature", "period_ms": 60000, "data": "{{value:temperature}}"}]}'
head_json="\"users\": [{\"username\": \"bench@example.com\", \"password\": \"bench-password\",
             \"tokens\": [\"$token\"]}],
  \"products\": [{\"id\": 20001, \"slug\": \"bench-fleet\", \"platform_id\": 13, \"cellular\": true,
                \"groups\": [\"a\", \"b\"], \"team\": [\"bench@example.com\"]}],
  \"templates\": [$template]"

# ---- sim_devices_rps, static_rps, sim_vs_static_ratio --------------------------------
cat >"$work/fleet25.json" <<EOF
{ $head_json,
  "devices": [{"name": "bench-{{n}}", "template": "dev", "owner": "bench@example.com",
               "platform_id": 12, "count": 25, "offline_every": 5}] }
EOF
start_sim "$work/fleet25.json"
auth="Authorization: Bearer $token"
mkdir -p "$work/nginx/www" "$work/nginx/tmp" "$work/nginx/logs"
curl -sf --max-time 5 -H "$auth" -o "$work/nginx/www/devices" "$sim_url/v1/devices"
count=$(grep -o '"id":"[0-9a-f]\{24\}"' "$work/nginx/www/devices" | wc -l)
[ "$count" -eq 25 ] || { echo "sim_bench: expected 25 devices, got $count" >&2; exit 1; }
body_bytes=$(wc -c <"$work/nginx/www/devices")
# nginx started as root drops its workers to "nobody", who must read the file.
chmod -R a+rX "$work"

# nginx on a free port: try random unprivileged ports until one binds (bounded).
nginx_pid=""
for attempt in $(seq 20); do
    port=$((20000 + RANDOM % 40000))
    cat >"$work/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
master_process on;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/nginx/tmp/body;
    proxy_temp_path $work/nginx/tmp/proxy;
    fastcgi_temp_path $work/nginx/tmp/fastcgi;
    uwsgi_temp_path $work/nginx/tmp/uwsgi;
    scgi_temp_path $work/nginx/tmp/scgi;
    server {
        listen 127.0.0.1:$port;
        root $work/nginx/www;
        location / { default_type "application/json; charset=utf-8"; }
    }
}
EOF
    nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" 2>>"$work/nginx/logs/start.err" &
    nginx_pid=$!
    pids+=("$nginx_pid")
    for i in $(seq 50); do
        curl -sf --max-time 1 -o "$work/static.body" "http://127.0.0.1:$port/devices" 2>/dev/null && break
        kill -0 "$nginx_pid" 2>/dev/null || break
        sleep 0.1
    done
    if cmp -s "$work/static.body" "$work/nginx/www/devices"; then
        break
    fi
    kill "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
    nginx_pid=""
done
[ -n "$nginx_pid" ] || { echo "sim_bench: nginx did not start" >&2; cat "$work/nginx/logs/"* >&2; exit 1; }
echo "sim_bench: body $body_bytes bytes; particle-sim $sim_url, nginx port $port;" \
     "wrk -t2 -c50 -d${seconds}s, $runs runs each" >&2

# Warm both up, then alternate runs so that both see the same machine conditions.
wrk -t2 -c50 -d2s -H "$auth" "$sim_url/v1/devices" >/dev/null
wrk -t2 -c50 -d2s "http://127.0.0.1:$port/devices" >/dev/null
: >"$work/sim_rps"
: >"$work/static_rps"
for run in $(seq "$runs"); do
    wrk_rps -H "$auth" "$sim_url/v1/devices" >>"$work/sim_rps"
    wrk_rps "http://127.0.0.1:$port/devices" >>"$work/static_rps"
done
echo "sim_bench: sim runs: $(tr '\n' ' ' <"$work/sim_rps"); nginx runs: $(tr '\n' ' ' <"$work/static_rps")" >&2
sim_rps=$(median <"$work/sim_rps")
static_rps=$(median <"$work/static_rps")
kill "$nginx_pid" 2>/dev/null || true
wait "$nginx_pid" 2>/dev/null || true
echo "BENCH sim_devices_rps $sim_rps req/s"
echo "BENCH static_rps $static_rps req/s"
echo "BENCH sim_vs_static_ratio $(awk -v a="$sim_rps" -v b="$static_rps" 'BEGIN { printf "%.3f", a / b }') ratio"
verdict sim_devices_rps "$sim_rps" ">=" 43000 "10x the peer's 4,300"

# ---- sim_sse_fanout_ms (bench_sim_fanout raises its own descriptor limit) -------------
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fanout_line=$("$fanout" --url "$sim_url" --token "$token" --subs 1000 --events 15)
echo "$fanout_line"
verdict sim_sse_fanout_ms "$(awk '{ print $3 }' <<<"$fanout_line")" "<" 50 "50 ms"
stop_sim

