#!/usr/bin/env bash
# Install test: `make install` of a release build into a scratch prefix, then checks the
# programs are there and builds every program of examples/ against the INSTALLED library
# with pkg-config, shared and static, and runs the version example. Proves headers,
# libparticle.pc, the shared and the static library and the programs install and work.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "install test: release build in $work/build"
# No -DPARTICLE_TESTS: the default is what a user's plain build and `make install` get.
# The prefix at configure time, as `make install PREFIX=...` sets it: paths the programs keep
# (the bridge's dashboard folder) must point into it.
cmake -S "$top" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$work/prefix" \
    >/dev/null
cmake --build "$work/build" -j "$(nproc)" >/dev/null
cmake --install "$work/build" >/dev/null
for program in particle-sim particlectl particle-bridge; do
    "$work/prefix/bin/$program" --version >/dev/null
done
# particlectl loads libcurl only for its first request (cli/curl_lazy.c), which --version
# never makes: one listing from the installed particle-sim proves that loading works.
"$work/prefix/bin/particle-sim" --listen 127.0.0.1:0 --quiet >"$work/sim.out" 2>&1 </dev/null &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
url=""
for _ in $(seq 1 100); do
    url=$(sed -n 's/^particle-sim listening on \(http[^ ]*\).*/\1/p' "$work/sim.out")
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { echo "install test: particle-sim did not start" >&2; exit 1; }
# the default fleet's demo token
PARTICLE_ACCESS_TOKEN=0123456789abcdef0123456789abcdef01234567 HOME="$work" \
    "$work/prefix/bin/particlectl" list --json --api-url "$url" | grep '"id"' >/dev/null
kill "$sim_pid"
test -f "$work/prefix/share/man/man1/particlectl.1"
test -f "$work/prefix/share/man/man1/particle-sim.1"
test -f "$work/prefix/share/man/man8/particle-bridge.8"
test -f "$work/prefix/share/man/man3/libparticle.3"
test -f "$work/prefix/share/man/man3/particle_client_new.3"
test -f "$work/prefix/share/doc/particle-bridge/examples/particle-bridge.ini"
test -f "$work/prefix/share/particle-bridge/dashboard/index.html"
# ...and the installed bridge looks for it there by default ([api] dashboard_dir)
grep -aqF "$work/prefix/share/particle-bridge/dashboard" "$work/prefix/bin/particle-bridge"
test -f "$work/prefix/lib/systemd/system/particle-bridge.service"

pcdir=$(find "$work/prefix" -name libparticle.pc -printf '%h\n' | head -n 1)
export PKG_CONFIG_PATH="$pcdir"
libdir="$pcdir/.."
test -f "$work/prefix/include/particle/particle.h"
ls "$work/prefix"/lib*/libparticle.so* >/dev/null
ls "$work/prefix"/lib*/libparticle.a >/dev/null
# The test builds' allocation fault injection (src/alloc.h) must not ship.
for lib in "$work/prefix"/lib*/libparticle.so "$work/prefix"/lib*/libparticle.a; do
    if nm "$lib" 2>/dev/null | grep -q 'particle__alloc_fail_after'; then
        echo "install test: $lib carries the test allocation hook" >&2
        exit 1
    fi
done

cflags=$(pkg-config --cflags libparticle)
libs=$(pkg-config --libs libparticle)
# Static: libparticle.a itself, with its dependencies (libcurl, jansson, yajl) linked shared, since
# Debian ships no static builds of all of libcurl's own dependencies.
static_deps="$(pkg-config --libs libcurl jansson yajl) -lpthread"
count=0
for src in "$top"/examples/*.c; do
    name=$(basename "$src" .c)
    # shellcheck disable=SC2086 # pkg-config output is a word list
    cc -std=c11 -Wall -Wextra -Werror $cflags "$src" -o "$work/$name" $libs
    # shellcheck disable=SC2086
    cc -std=c11 -Wall -Wextra -Werror $cflags "$src" -o "$work/$name-static" \
        -L"$libdir" -Wl,-Bstatic -lparticle -Wl,-Bdynamic $static_deps
    count=$((count + 1))
done
if [ "$count" = 0 ]; then
    echo "install test: no example in examples/" >&2
    exit 1
fi
# The version example needs no server: it must print the installed library's version.
LD_LIBRARY_PATH="$libdir" "$work/version" | grep -q "$(pkg-config --modversion libparticle)"
"$work/version-static" | grep -q "$(pkg-config --modversion libparticle)"
echo "install test: $count example(s) built against the installed library (shared and static)"
