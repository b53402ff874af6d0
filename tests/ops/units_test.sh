#!/usr/bin/env bash
# The systemd units of dist/systemd: `systemd-analyze verify` accepts them without a word
# (it only warns about an unknown key, so any output fails the test), and they keep what
# docs/OPERATIONS.md promises (Type=notify, the watchdog, the hardening).
#   units_test.sh UNIT_DIR [PARTICLE_BRIDGE PARTICLE_SIM]
# With the programs' paths, ExecStart's /usr/bin/particle-* become them (verify wants the
# programs to exist). Exit 77 (skipped) without systemd-analyze.
set -euo pipefail
units=$1 bridge=${2:-} sim=${3:-}
if ! command -v systemd-analyze >/dev/null; then
    echo "units_test: systemd-analyze is not installed (Debian: systemd); skipped"
    exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "units_test: $*" >&2; exit 1; }

for unit in particle-bridge.service particle-sim.service; do
    [ -f "$units/$unit" ] || fail "no $units/$unit"
    if [ -n "$bridge" ]; then
        sed -e "s|/usr/bin/particle-bridge|$bridge|g" -e "s|/usr/bin/particle-sim|$sim|g" \
            "$units/$unit" >"$work/$unit"
    else
        cp "$units/$unit" "$work/$unit"
    fi
    for line in Type=notify WatchdogSec= NoNewPrivileges=yes ProtectSystem=strict \
        StateDirectory= PrivateTmp=yes "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX"; do
        grep -q "^$line" "$work/$unit" || fail "$unit lacks $line"
    done
done
grep -q '^ExecReload=/bin/kill -HUP \$MAINPID' "$work/particle-bridge.service" ||
    fail "particle-bridge.service does not reload with SIGHUP"
grep -q '^User=particle-bridge' "$work/particle-bridge.service" || fail "bridge: no User="
grep -q '^DynamicUser=yes' "$work/particle-sim.service" || fail "sim: no DynamicUser"

# --man=no: Documentation= names man pages the build machine may not have installed.
if ! systemd-analyze verify --man=no "$work"/*.service >"$work/out" 2>&1 || [ -s "$work/out" ]; then
    cat "$work/out" >&2
    fail "systemd-analyze verify refused or warned"
fi
echo "units_test: systemd-analyze verify accepts both units"
