#!/usr/bin/env bash
# dashboard_device_page_ms (issue 16): the device page of particle-bridge's dashboard with a
# year of one-minute readings, in headless chromium (tests/browser/bench.js, docs/BENCHMARKS.md).
#   bench/dashboard_bench.sh BUILD_DIR        (BENCH_DASHBOARD_RUNS=N, default 5)
set -euo pipefail
build_dir=${1:-build/release}
top=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
    echo "dashboard_bench: no chromium, skipped"
    exit 0
fi
exec "$top/tests/browser/run.sh" "$build_dir/sim/particle-sim" "$build_dir/bridge/particle-bridge" bench.js
