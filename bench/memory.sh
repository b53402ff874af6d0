#!/usr/bin/env bash
# Memory benchmarks, the figures docs/BENCHMARKS.md ("Memory") quotes for the whole project.
# Usage: bench/memory.sh BUILD_DIR (a release tree with sim/particle-sim and
# bridge/particle-bridge). Prints:
#   BENCH sim_rss_loaded_mb_100k <x> MB    particle-sim, 100,000 product devices (spelled out
#                                          one per entry): VmRSS once loaded, nothing read
#   BENCH sim_rss_pages_peak_mb_100k <x> MB  the highest VmRSS sampled (every 0.1 s) while
#                                          every page of the product's device list is read,
#                                          twice (1,000 pages of 100)
#   BENCH sim_rss_steady_mb_100k <x> MB    its VmRSS 2 s after those reads
#   BENCH sim_rss_peak_mb_100k <x> MB      VmHWM: the peak of its whole life, the load too
#   BENCH bridge_rss_mb_10k <x> MB         particle-bridge syncing a 10,000-device product from
#                                          particle-sim, polling on: VmRSS after the first full
#                                          sync and MEMORY_POLL_SECONDS of polling. Default
#                                          settings but [ingest] flush_interval = 1ms: each
#                                          device of a sync is a writer command that waits out
#                                          the flush interval, so at 10 ms the first sync of
#                                          100,000 devices takes half an hour
#   BENCH bridge_rss_peak_mb_10k <x> MB    its VmHWM at that moment
#   BENCH bridge_rss_mb_100k <x> MB        the same with 100,000 devices
#   BENCH bridge_rss_peak_mb_100k <x> MB
#   BENCH bridge_process_kb_per_device <x> KB  (100k RSS - 10k RSS) / 90,000: what a device
#                                          adds to the whole process
# Everything listens on 127.0.0.1 only; every wait has a deadline; the EXIT trap stops the
# processes this script started (by pid) and removes its temporary directory.
# Environment: MEMORY_POLL_SECONDS (default 30), MEMORY_SYNC_TIMEOUT (seconds, default 3600),
# MEMORY_PARTS ("sim bridge", the default, or one of them), MEMORY_BRIDGE_SIZES (default
# "10000 100000"; the per-device figure needs both).
set -euo pipefail

build_dir=${1:?usage: memory.sh BUILD_DIR}
sim="$build_dir/sim/particle-sim"
bridge="$build_dir/bridge/particle-bridge"
poll_seconds=${MEMORY_POLL_SECONDS:-30}
parts=${MEMORY_PARTS:-sim bridge}
sync_timeout=${MEMORY_SYNC_TIMEOUT:-3600}
sizes=${MEMORY_BRIDGE_SIZES:-10000 100000}
token=0123456789abcdef0123456789abcdef01234567
api_key=memory-bench-api-key-0123456789

for tool in curl awk; do
    command -v "$tool" >/dev/null || { echo "memory: $tool is not installed" >&2; exit 1; }
done
for bin in "$sim" "$bridge"; do
    [ -x "$bin" ] || { echo "memory: no $bin (build the release tree first)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/memory_bench.XXXXXX)
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

# /proc/PID/status field (VmRSS, VmHWM) in MB.
status_mb() {
    awk -v f="$2:" '$1 == f { printf "%.1f", $2 / 1024 }' "/proc/$1/status"
}

# Starts particle-sim with the given fleet; sets sim_pid and sim_url.
start_sim() {
    local out="$work/sim.$RANDOM.out"
    : >"$out"
    "$sim" --listen 127.0.0.1:0 --quiet --fleet "$1" >"$out" 2>"$out.err" &
    sim_pid=$!
    pids+=("$sim_pid")
    sim_url=""
    local i
    for i in $(seq 1200); do # 120 s: loading 100,000 devices takes a few seconds
        sim_url=$(sed -n 's/^particle-sim listening on //p' "$out")
        [ -n "$sim_url" ] && return 0
        kill -0 "$sim_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "memory: particle-sim did not start:" >&2
    cat "$out.err" >&2
    exit 1
}

stop() { # pid
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# The bench fleet of sim_bench.sh: one product, devices of the default fleet's size.
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

# ---- particle-sim: 100,000 devices, every page read -------------------------------------
measure_sim() {
    {
        echo "{ $head_json,"
        echo '  "devices": ['
        awk 'BEGIN {
            for (i = 1; i <= 100000; i++)
                printf "    {\"name\": \"bench-%d\", \"template\": \"dev\", \"product\": 20001, " \
                       "\"groups\": [\"%s\"]%s}%s\n", i, (i % 2 ? "a" : "b"),
                       (i % 10 == 0 ? ", \"online\": false" : ""), (i < 100000 ? "," : "")
        }'
        echo '  ] }'
    } >"$work/fleet100k.json"
    start_sim "$work/fleet100k.json"
    echo "BENCH sim_rss_loaded_mb_100k $(status_mb "$sim_pid" VmRSS) MB"
    local sampler pass
    while kill -0 "$sim_pid" 2>/dev/null; do
        status_mb "$sim_pid" VmRSS
        echo
        sleep 0.1
    done >"$work/samples" &
    sampler=$!
    pids+=("$sampler")
    # One curl, one kept-alive connection, every page in turn; twice, so a page's second read
    # (the render cache's hit) is in the peak too.
    awk -v u="$sim_url" 'BEGIN {
        for (p = 1; p <= 1000; p++)
            printf "url = \"%s/v1/products/bench-fleet/devices?page=%d&perPage=100\"\noutput = \"/dev/null\"\n", u, p
    }' >"$work/pages.curl"
    for pass in 1 2; do
        curl -sf --max-time 600 -H "Authorization: Bearer $token" --config "$work/pages.curl"
    done
    stop "$sampler"
    echo "BENCH sim_rss_pages_peak_mb_100k $(sort -g "$work/samples" | tail -n 1) MB"
    sleep 2
    echo "BENCH sim_rss_steady_mb_100k $(status_mb "$sim_pid" VmRSS) MB"
    echo "BENCH sim_rss_peak_mb_100k $(status_mb "$sim_pid" VmHWM) MB"
    stop "$sim_pid"
}

# ---- particle-bridge: N devices, first full sync, then polling -------------------------
metric() { # name: the value of an unlabelled counter or gauge on /metrics, 0 when absent
    curl -sf --max-time 10 -H "Authorization: Bearer $api_key" "$bridge_api/metrics" |
        awk -v n="$1" '$1 == n || $1 == n "_total" { print $2; found = 1 } END { if (!found) print 0 }'
}

bridge_rss() { # devices; sets rss and peak (MB)
    local n=$1
    cat >"$work/fleet$n.json" <<EOF
{ $head_json,
  "devices": [{"name": "bench-{{n}}", "template": "dev", "product": 20001, "count": $n,
               "offline_every": 10, "groups_cycle": [["a"], ["b"]]}] }
EOF
    start_sim "$work/fleet$n.json"
    cat >"$work/bridge$n.ini" <<INI
[cloud]
url = $sim_url
user_scope = false
products = 20001
sync_interval = 1h
[database]
path = $work/bridge$n.db
[api]
listen = 127.0.0.1
port = 0
[ingest]
flush_interval = 1ms
INI
    PARTICLE_ACCESS_TOKEN=$token PARTICLE_BRIDGE_API_KEY=$api_key \
        "$bridge" --config "$work/bridge$n.ini" >"$work/bridge$n.out" 2>"$work/bridge$n.err" &
    local bridge_pid=$!
    pids+=("$bridge_pid")
    # The first sync runs before the API serves: its "serving" line means the sync is done.
    local start=$SECONDS
    bridge_api=""
    until [ -n "$bridge_api" ]; do
        bridge_api=$(grep -m1 -o 'serving http://[0-9.]*:[0-9]*' "$work/bridge$n.err" || true)
        bridge_api=${bridge_api#serving }
        if ! kill -0 "$bridge_pid" 2>/dev/null || [ $((SECONDS - start)) -gt "$sync_timeout" ]; then
            echo "memory: particle-bridge did not sync and serve within ${sync_timeout}s:" >&2
            tail -n 20 "$work/bridge$n.err" >&2
            exit 1
        fi
        sleep 1
    done
    local synced=$((SECONDS - start)) devices polls_before polls
    devices=$(metric particle_bridge_devices)
    if [ "$(metric particle_bridge_syncs)" -lt 1 ] || [ "$devices" -lt "$n" ]; then
        echo "memory: the first sync stored $devices of $n devices" >&2
        exit 1
    fi
    polls_before=$(metric particle_bridge_polls)
    sleep "$poll_seconds"
    polls=$(($(metric particle_bridge_polls) - polls_before))
    rss=$(status_mb "$bridge_pid" VmRSS)
    peak=$(status_mb "$bridge_pid" VmHWM)
    echo "memory: $n devices: first sync ${synced}s, $polls variable reads in ${poll_seconds}s" >&2
    if [ "$polls" -le 0 ]; then
        echo "memory: the bridge did not poll" >&2
        exit 1
    fi
    stop "$bridge_pid"
    stop "$sim_pid"
}

measure_bridge() {
    local n rss10k="" rss100k=""
    for n in $sizes; do
        bridge_rss "$n"
        echo "BENCH bridge_rss_mb_$((n / 1000))k $rss MB"
        echo "BENCH bridge_rss_peak_mb_$((n / 1000))k $peak MB"
        [ "$n" = 10000 ] && rss10k=$rss
        [ "$n" = 100000 ] && rss100k=$rss
    done
    if [ -n "$rss10k" ] && [ -n "$rss100k" ]; then
        awk -v a="$rss10k" -v b="$rss100k" 'BEGIN {
            printf "BENCH bridge_process_kb_per_device %.2f KB\n", (b - a) * 1024 / 90000 }'
    fi
}

for part in $parts; do
    case $part in
    sim) measure_sim ;;
    bridge) measure_bridge ;;
    *) echo "memory: unknown part $part (MEMORY_PARTS: sim, bridge)" >&2; exit 2 ;;
    esac
done
