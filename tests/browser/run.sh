#!/usr/bin/env bash
# The dashboard's browser test (issue 16): headless Debian chromium driven by puppeteer-core
# (installed from the npm registry into a scratch folder at test time, no browser download)
# against particle-bridge fed by particle-sim. Exit 77 (a ctest skip) only when chromium is
# absent.
#
#   tests/browser/run.sh PARTICLE_SIM PARTICLE_BRIDGE [SCRIPT.js]
#
# SCRIPT defaults to dashboard.test.js (node --test); screenshots.js and bench.js use the same
# harness. Screenshots go to $BROWSER_OUT (default: browser-out next to the bridge binary).
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 PARTICLE_SIM PARTICLE_BRIDGE [SCRIPT.js]" >&2
    exit 2
fi
sim=$(realpath "$1")
bridge=$(realpath "$2")
script=${3:-dashboard.test.js}
here=$(cd "$(dirname "$0")" && pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
    echo "SKIP: no chromium at $chromium (scripts/bootstrap installs it)"
    exit 77
fi

# Kept between runs of one build tree (it depends only on the version).
scratch=${PARTICLE_BROWSER_NPM_DIR:-$(dirname "$bridge")/browser-npm}
mkdir -p "$scratch"
if [ ! -f "$scratch/node_modules/puppeteer-core/package.json" ]; then
    (cd "$scratch" && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --silent \
        --prefix "$scratch" puppeteer-core@24 >/dev/null)
fi

export PARTICLE_SIM=$sim PARTICLE_BRIDGE=$bridge CHROMIUM=$chromium
export BROWSER_OUT=${BROWSER_OUT:-$(dirname "$bridge")/browser-out}
export NODE_PATH="$scratch/node_modules"
case "$script" in
*.test.js) exec node --test --test-reporter=spec --test-concurrency=1 "$here/$script" ;;
*) exec node "$here/$script" ;;
esac
