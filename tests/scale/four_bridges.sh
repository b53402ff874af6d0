#!/usr/bin/env bash
# Four particle-bridges share one PostgreSQL database, each with [cloud] partition = K/4,
# against a particle-sim fleet of DEVICES devices that each publish every 10 s of simulated
# time. The simulator's clock is paused and advanced one simulated second at a time, every
# PACE_MS of real time, for SECONDS steps (POST /sim/clock/advance answers how many events
# it published). Then every bridge must have stored its share: each published event is in
# the database exactly once, stored by exactly one bridge (the bridges' stored counters add
# up to the events published, and no bridge met another's event as a duplicate), and the day
# partitions they all maintain after each sync were made once between them.
#
# Usage (under tests/support/pg_scratch.sh run, which sets BRIDGE_TEST_PG):
#   four_bridges.sh PARTICLE_SIM PARTICLE_BRIDGE DEVICES SECONDS PACE_MS
# Prints `BENCH four_bridges_pg_eps <sum of the bridges' rates> events/s` (events stored per
# second of publishing, summed over the bridges) and the per-bridge counts.
set -euo pipefail
sim_bin=$1 bridge_bin=$2 devices=$3 seconds=$4 pace_ms=$5
: "${BRIDGE_TEST_PG:?run this under tests/support/pg_scratch.sh run}"
work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

die() {
    echo "four_bridges: $*" >&2
    for f in "$work"/*.err; do [ -f "$f" ] && { echo "--- $f" >&2; tail -n 20 "$f" >&2; }; done
    exit 1
}

# A bridge serves its API after its first sync: 100,000 devices take minutes on a loaded machine.
wait_for_url() { # FILE: the first http://host:port the file shows, within 10 minutes
    for _ in $(seq 1 6000); do
        url=$(grep -o 'http://[0-9.]*:[0-9]*' "$1" 2>/dev/null | head -n 1 || true)
        [ -n "$url" ] && { echo "$url"; return 0; }
        sleep 0.1
    done
    return 1
}

token=5ca1e5ca1e5ca1e5ca1e5ca1e5ca1e5ca1e5ca1e
cat >"$work/fleet.json" <<JSON
{
  "users": [{"username": "scale@example.com", "password": "scale", "tokens": ["$token"]}],
  "products": [{"id": 9, "slug": "scale", "platform_id": 13, "team": ["scale@example.com"]}],
  "templates": [{"name": "meter",
    "variables": [{"name": "v", "type": "double", "behaviour": "random_walk", "period_ms": 1000}],
    "publishers": [{"name": "reading", "period_ms": 10000, "data": "{{counter}}"}]}],
  "devices": [{"name": "meter-{{n}}", "template": "meter", "product": "scale", "count": $devices}]
}
JSON
"$sim_bin" --listen 127.0.0.1:0 --quiet --fleet "$work/fleet.json" --replay-events 1000000 \
    >"$work/sim.out" 2>"$work/sim.err" &
pids+=($!)
sim=$(wait_for_url "$work/sim.out") || die "particle-sim did not start"
auth=(-H "Authorization: Bearer $token")
curl -fsS -X POST "${auth[@]}" "$sim/sim/clock/pause" >/dev/null

export PARTICLE_ACCESS_TOKEN=$token
export PARTICLE_BRIDGE_API_KEY=four-bridges-test-key
apis=()
for k in 1 2 3 4; do
    cat >"$work/bridge$k.ini" <<INI
[cloud]
url = $sim
user_scope = false
products = scale
partition = $k/4
sync_interval = 1h
details_per_sync = 0
[database]
url = $BRIDGE_TEST_PG
[api]
listen = 127.0.0.1
port = 0
[defaults]
enabled = false
INI
    "$bridge_bin" --config "$work/bridge$k.ini" >"$work/bridge$k.out" 2>"$work/bridge$k.err" &
    pids+=($!)
    apis+=("$(wait_for_url "$work/bridge$k.err")") || die "bridge $k did not start"
done

# every bridge follows the product's stream before the first event
for _ in $(seq 1 300); do
    subs=$(curl -fsS "${auth[@]}" "$sim/sim/status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sse_subscribers"])')
    [ "$subs" -ge 4 ] && break
    sleep 0.1
done
[ "$subs" -ge 4 ] || die "the bridges did not all open their event streams ($subs)"

metric() { # API NAME: the counter's value
    curl -fsS -H "Authorization: Bearer $PARTICLE_BRIDGE_API_KEY" "$1/metrics" |
        awk -v n="particle_bridge_$2_total" '$1 == n {print $2}'
}

published=0
start=$(date +%s%N)
for _ in $(seq 1 "$seconds"); do
    n=$(curl -fsS -X POST "${auth[@]}" -H 'Content-Type: application/json' -d '{"ms": 1000}' \
        "$sim/sim/clock/advance" | python3 -c 'import json,sys; print(json.load(sys.stdin)["published"])')
    published=$((published + n))
    sleep "$(awk -v ms="$pace_ms" 'BEGIN {printf "%.3f", ms / 1000}')"
done
published_at=$(date +%s%N)

stored=0
for _ in $(seq 1 1200); do # up to 120 s for the bridges to catch up
    stored=0
    for api in "${apis[@]}"; do stored=$((stored + $(metric "$api" events_stored))); done
    [ "$stored" -ge "$published" ] && break
    sleep 0.1
done
end=$(date +%s%N)
elapsed_ms=$(((end - start) / 1000000))

in_db=$(psql "$BRIDGE_TEST_PG" -tAc "SELECT count(*) FROM events WHERE name = 'reading'")
twice=$(psql "$BRIDGE_TEST_PG" -tAc "SELECT count(*) FROM (SELECT device_id, published_at_ms FROM events WHERE name = 'reading' GROUP BY 1, 2 HAVING count(*) > 1) d")
echo "four_bridges: $devices devices, $published events published in $seconds simulated seconds"
echo "four_bridges: publishing took $(((published_at - start) / 1000000)) ms, all stored after $elapsed_ms ms"
k=0
for api in "${apis[@]}"; do
    k=$((k + 1))
    s=$(metric "$api" events_stored) d=$(metric "$api" duplicates_dropped)
    echo "four_bridges: bridge $k/4 stored $s events, met $d duplicates"
    [ "$s" -gt 0 ] || die "bridge $k/4 stored nothing"
    [ "$d" -eq 0 ] || die "bridge $k/4 met $d events another bridge had stored"
done
# the bridges made each day partition once between them (3 tables x 9 days), in turn
made=0
for api in "${apis[@]}"; do made=$((made + $(metric "$api" partitions_created))); done
[ "$made" -eq 27 ] || die "the bridges created $made day partitions, not 27"
parts=$(psql "$BRIDGE_TEST_PG" -tAc "SELECT count(*) FROM pg_inherits WHERE inhparent = 'events'::regclass")
[ "$parts" -eq 10 ] || die "events has $parts partitions, not 10 (9 days and the default)"
[ "$published" -gt 0 ] || die "the simulator published nothing"
[ "$stored" -eq "$published" ] || die "the bridges stored $stored of $published events"
[ "$in_db" -eq "$published" ] || die "the database holds $in_db of $published events"
[ "$twice" -eq 0 ] || die "$twice events are stored twice"
echo "BENCH four_bridges_pg_eps $((published * 1000 / (elapsed_ms > 0 ? elapsed_ms : 1))) events/s"
