#!/usr/bin/env bash
# Four particle-bridges on one PostgreSQL database (partition = K/4) against a 100,000-device
# particle-sim fleet (docs/BENCHMARKS.md, "PostgreSQL at scale"): tests/scale/four_bridges.sh
# on a release build, on a throw-away server. Prints BENCH four_bridges_pg_eps.
# Usage: bench/four_bridges_bench.sh BUILD_DIR. Environment: FOUR_BRIDGES_DEVICES (100000),
# FOUR_BRIDGES_SECONDS (simulated seconds published, 30), FOUR_BRIDGES_PACE_MS (real
# milliseconds per simulated second, 250).
set -euo pipefail
build_dir=${1:?usage: four_bridges_bench.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/.." && pwd)
PG_SCRATCH_TIMEOUT=${PG_SCRATCH_TIMEOUT:-2400} exec "$top/tests/support/pg_scratch.sh" run "$top/tests/scale/four_bridges.sh" \
    "$build_dir/sim/particle-sim" "$build_dir/bridge/particle-bridge" \
    "${FOUR_BRIDGES_DEVICES:-100000}" "${FOUR_BRIDGES_SECONDS:-30}" "${FOUR_BRIDGES_PACE_MS:-250}"
