#!/usr/bin/env bash
# particle-sim's command-line numbers (pu_parse): the edges of each range, and what is
# refused with which message and exit status 2.
#
#   tests/sim/options.sh PARTICLE_SIM
#
# An accepted value is followed by --version, so the simulator prints its version and exits
# 0 without starting.
set -uo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 PARTICLE_SIM" >&2
    exit 2
fi
sim=$1
failures=0

accepts() {
    local out
    if ! out=$("$sim" "$@" --version 2>&1) || [[ $out != "particle-sim "* ]]; then
        echo "FAIL: refused: $* -> $out" >&2
        failures=$((failures + 1))
    fi
}

# refuses MESSAGE ARGS...: exit status 2 and MESSAGE on stderr.
refuses() {
    local want=$1 err rc
    shift
    err=$("$sim" "$@" --version 2>&1 >/dev/null)
    rc=$?
    if [ "$rc" -ne 2 ] || [[ $err != *"$want"* ]]; then
        echo "FAIL: $* -> status $rc, stderr: $err (wanted 2 and \"$want\")" >&2
        failures=$((failures + 1))
    fi
}

accepts --listen 127.0.0.1:0
accepts --listen '[::1]:65535'
for bad in 127.0.0.1:65536 127.0.0.1:-1 '127.0.0.1: 80' 127.0.0.1: 127.0.0.1:8080x; do
    refuses "--listen wants ADDR:PORT" --listen "$bad"
done

accepts --seed 0
accepts --seed 9223372036854775807
for bad in -1 9223372036854775808 '' 1x ' 1' 0x10; do
    refuses "--seed wants a number" --seed "$bad"
done

accepts --threads 1024
accepts --threads 0
accepts --offline-delay-ms 3600000
accepts --device-latency-ms 0
accepts --keepalive-ms 1
refuses 'bad number "1025"' --threads 1025
refuses 'bad number "3600001"' --offline-delay-ms 3600001
refuses 'bad number "-1"' --device-latency-ms -1
refuses 'bad number "0"' --keepalive-ms 0
refuses 'bad number "1.5"' --keepalive-ms 1.5
refuses 'bad number ""' --threads ''

accepts --replay-events 1
accepts --replay-events 10000000
accepts --replay-age 90s
accepts --replay-age 1d
for bad in 0 10000001 -1 '' 1x; do
    refuses "--replay-events wants 1 to 10000000" --replay-events "$bad"
done
for bad in 0 0.5ms 25h -1s x; do
    refuses "--replay-age wants a duration up to 1d" --replay-age "$bad"
done

accepts --max-connections 1 --max-connections-per-ip 1000000 --request-deadline-s 30
accepts --cors-origins 'https://a.example, http://localhost:3000'
refuses 'bad number "0"' --max-connections 0
refuses 'bad number "1000001"' --max-connections-per-ip 1000001
refuses 'bad number "1s"' --request-deadline-s 1s

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
echo "particle-sim options: all passed"
