#!/usr/bin/env bash
# Soak test: particle-sim's memory stays flat under a long mixed load (issue 3, "Bad input").
# Usage: sim_soak.sh PATH/TO/particle-sim        (ctest: soak/sim_soak)
#
# Starts particle-sim (default fleet) on 127.0.0.1, port 0, and runs SIM_SOAK_WORKERS client
# loops for SIM_SOAK_SECONDS. One round of a loop is: a password login and the deletion of
# that token (then the token must be refused), user and product device lists, a device, a
# variable read, a read on an offline device (the timeout error), two function calls, a
# notes update, a publish through the API and one through the control API, an offline/online
# cycle, an SSE subscription dropped after 0.3 s, and bad requests (bad token, unknown
# device/variable/route, malformed JSON, an oversized body, /v1/events without a prefix).
# Every answer's status is checked against the expected one.
#
# VmRSS is sampled every second. Growth from the end of the warm-up (the first third) to the
# end must stay under SIM_SOAK_MAX_GROWTH_KB (default 4096 KiB): what the run keeps by
# design (the event ring, held at 1,024 events by --replay-events: the default 16,384 would
# still be filling after the warm-up; notes, allocator caches) fits well inside that,
# while a leak of even one small allocation per request (tens of thousands of requests) does
# not. Under ASan the quarantine is capped (ASAN_OPTIONS quarantine_size_mb) so freed memory
# does not look like growth; the comparison is warm vs end, never absolute. At the end the
# sim gets SIGTERM and must exit 0 (under ASan that includes LeakSanitizer's exit check).
#
# Loopback only; every loop has a deadline; the EXIT trap stops the sim and the workers.
set -euo pipefail

sim=${1:?usage: sim_soak.sh PATH/TO/particle-sim}
seconds=${SIM_SOAK_SECONDS:-24}
workers=${SIM_SOAK_WORKERS:-3}
max_growth_kb=${SIM_SOAK_MAX_GROWTH_KB:-4096}
token=0123456789abcdef0123456789abcdef01234567 # the default fleet's demo token
warm=$((seconds / 3))

work=$(mktemp -d /tmp/sim_soak.XXXXXX)
sim_pid=""
worker_pids=()
cleanup() {
    local pid
    for pid in "${worker_pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true
    for pid in "${worker_pids[@]}" $sim_pid; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

fail() {
    echo "sim_soak: FAIL: $*" >&2
    exit 1
}

# ASan keeps freed blocks in a quarantine (256 MB by default) that would read as growth.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4"
: >"$work/sim.out" # created before the sim starts, so the wait loop can read it
"$sim" --listen 127.0.0.1:0 --offline-delay-ms 20 --keepalive-ms 100 --replay-events 1024 >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
url=""
for _ in $(seq 100); do
    url=$(sed -n 's/^particle-sim listening on //p' "$work/sim.out")
    [ -n "$url" ] && break
    kill -0 "$sim_pid" 2>/dev/null || break
    sleep 0.1
done
[ -n "$url" ] || { cat "$work/sim.err" >&2; fail "particle-sim did not start"; }
case $url in http://127.0.0.1:*) ;; *) fail "not on loopback: $url" ;; esac

rss_kb() {
    awk '/^VmRSS:/ { print $2 }' "/proc/$sim_pid/status"
}

# A 2 MiB body: over the server's 1 MiB request cap (413).
head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' 'a' >"$work/big.body"
printf '{"name": "soak", "data": ' >"$work/broken.json"

# One round as a curl config (one process, keep-alive); "expected" holds the statuses in
# order. $1 names the worker, so the worker's events and notes differ from the others'.
write_round() {
    local w=$1 cfg="$work/round.$1.cfg" exp="$work/round.$1.expected"
    : >"$cfg"
    : >"$exp"
    add() { # expected-status method path [extra curl config lines...]
        local status=$1 method=$2 path=$3
        shift 3
        {
            echo "next"
            echo "url = \"$url$path\""
            echo "request = \"$method\""
            echo "output = \"/dev/null\""
            echo "write-out = \"%{http_code}\\n\""
            echo "max-time = 10"
            local line
            for line in "$@"; do echo "$line"; done
        } >>"$cfg"
        echo "$status" >>"$exp"
    }
    local auth="header = \"Authorization: Bearer $token\""
    add 200 GET /v1/devices "$auth"
    add 200 GET "/v1/products/env-sensors/devices?page=2&perPage=25" "$auth"
    add 200 GET /v1/devices/demo-argon-1 "$auth"
    add 200 GET /v1/devices/demo-argon-1/temperature "$auth"
    add 400 GET /v1/devices/demo-photon-1/temperature "$auth" # offline: "Timed out."
    add 200 POST /v1/devices/demo-argon-1/led "$auth" 'data = "arg=255,0,0"'
    add 200 POST /v1/devices/demo-argon-1/setTemp "$auth" 'data = "arg=22.5"'
    add 200 PUT /v1/devices/demo-boron-1 "$auth" "data = \"notes=soak worker $w\""
    add 200 POST /v1/devices/events "$auth" "data = \"name=soak/$w&data=round&private=true\""
    add 200 POST /sim/devices/demo-p2-1/events "$auth" 'header = "Content-Type: application/json"' \
        "data = \"{\\\"name\\\":\\\"soak/device\\\",\\\"data\\\":\\\"$w\\\"}\""
    add 200 POST /sim/devices/demo-p2-1/offline "$auth"
    add 200 POST /sim/devices/demo-p2-1/online "$auth"
    # a stream that the client drops: 200, then curl gives up after 0.3 s
    add 200 GET /v1/devices/events/soak "$auth" 'max-time = 0.3'
    add 401 GET /v1/devices 'header = "Authorization: Bearer ffffffffffffffffffffffffffffffffffffffff"'
    add 403 GET /v1/devices/no-such-device "$auth"
    add 404 GET /v1/devices/demo-argon-1/noSuchVariable "$auth"
    add 400 POST /v1/devices/events "$auth" 'header = "Content-Type: application/json"' \
        "data-binary = \"@$work/broken.json\""
    add 413 POST /v1/devices/events "$auth" "data-binary = \"@$work/big.body\""
    add 400 GET /v1/events "$auth"
    add 404 GET /no/such/route "$auth"
    sed -i '1d' "$cfg" # no "next" before the first request
}

# Logs in with a password, deletes that token, and checks that it is refused afterwards.
login_cycle() {
    local body new status
    body=$(curl -s --max-time 10 -u particle-api:particle-api -d grant_type=password \
        -d username=demo@example.com -d password=demo-password "$url/oauth/token")
    new=$(grep -o '"access_token":"[0-9a-f]*"' <<<"$body" | cut -d'"' -f4)
    [ -n "$new" ] || { echo "login failed: $body"; return 1; }
    status=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -X DELETE \
        -H "Authorization: Bearer $new" "$url/v1/access_tokens/current")
    [ "$status" = 200 ] || { echo "token delete gave $status"; return 1; }
    status=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' \
        -H "Authorization: Bearer $new" "$url/v1/devices")
    [ "$status" = 401 ] || { echo "deleted token gave $status"; return 1; }
}

worker() {
    local w=$1 deadline=$2 rounds=0
    write_round "$w"
    while [ "$(date +%s)" -lt "$deadline" ]; do
        login_cycle || return 1
        # curl's exit status is the last transfer's (the 413 one may end in a send error);
        # the statuses below are what is checked
        curl -s -K "$work/round.$w.cfg" >"$work/round.$w.got" || true
        if ! cmp -s "$work/round.$w.got" "$work/round.$w.expected"; then
            echo "worker $w round $rounds: statuses differ (expected | got):"
            paste "$work/round.$w.expected" "$work/round.$w.got"
            return 1
        fi
        rounds=$((rounds + 1))
    done
    echo "$rounds" >"$work/rounds.$w"
}

start=$(date +%s)
deadline=$((start + seconds))
for w in $(seq "$workers"); do
    worker "$w" "$deadline" >"$work/worker.$w.log" 2>&1 &
    worker_pids+=("$!")
done

# Sample once a second until the deadline (bounded by the deadline plus a margin).
: >"$work/rss"
for _ in $(seq $((seconds + 5))); do
    now=$(date +%s)
    [ "$now" -ge "$deadline" ] && break
    kill -0 "$sim_pid" 2>/dev/null || fail "particle-sim died: $(cat "$work/sim.err")"
    echo "$((now - start)) $(rss_kb)" >>"$work/rss"
    sleep 1
done
status=0
for pid in "${worker_pids[@]}"; do
    wait "$pid" || status=1
done
worker_pids=()
end_kb=$(rss_kb)
echo "$(($(date +%s) - start)) $end_kb" >>"$work/rss"
for w in $(seq "$workers"); do
    cat "$work/worker.$w.log" >&2
done
[ "$status" -eq 0 ] || fail "a worker failed (see above)"

rounds=0
for w in $(seq "$workers"); do
    rounds=$((rounds + $(cat "$work/rounds.$w")))
done
[ "$rounds" -gt 0 ] || fail "no round completed"
# the sample taken at the end of the warm-up (the first one at or after $warm seconds)
warm_kb=$(awk -v w="$warm" '$1 >= w { print $2; exit }' "$work/rss")
[ -n "$warm_kb" ] || fail "no sample after the warm-up"
growth_kb=$((end_kb - warm_kb))
echo "sim_soak: $workers workers, $rounds rounds (x23 requests + 0.3 s streams) in ${seconds}s;" \
     "VmRSS samples (s KiB): $(tr '\n' ' ' <"$work/rss")"
echo "sim_soak: VmRSS after warm-up (${warm}s) $warm_kb KiB, at the end $end_kb KiB," \
     "growth $growth_kb KiB (bound $max_growth_kb KiB)"
[ "$growth_kb" -lt "$max_growth_kb" ] || fail "memory grew by $growth_kb KiB after the warm-up"

# Clean shutdown; under ASan, LeakSanitizer runs at exit and fails it on a leak.
kill -TERM "$sim_pid"
for _ in $(seq 150); do
    kill -0 "$sim_pid" 2>/dev/null || break
    sleep 0.1
done
if kill -0 "$sim_pid" 2>/dev/null; then
    fail "particle-sim did not stop within 15 s of SIGTERM"
fi
sim_status=0
wait "$sim_pid" || sim_status=$?
sim_pid=""
if [ "$sim_status" -ne 0 ] || grep -qE 'Sanitizer|runtime error' "$work/sim.err"; then
    cat "$work/sim.err" >&2
    fail "particle-sim exited with status $sim_status"
fi
echo "sim_soak: PASS"
