#!/usr/bin/env bash
# The Debian packages (debian/, `make deb`): the five are built (unless DEB_DIR already
# holds them, e.g. from `make deb`), lintian finds no error, and, unpacked into a scratch
# root (dpkg -x), the installed programs run: particlectl --version, particle-bridge
# --check-config on the installed /etc file, particle-sim --check-fleet on the installed
# sample fleet, systemd-analyze verify on the installed units; the man pages, the
# pkg-config file and the maintainer script that creates the user are where they belong.
#   deb_test.sh SOURCE_DIR [DEB_DIR]   (DEB_DIR: default SOURCE_DIR/build/deb)
# Exit 77 (skipped) when the packaging tools are missing (scripts/bootstrap installs them).
set -euo pipefail
top=$1 debs=${2:-$1/build/deb}
fail() { echo "deb_test: $*" >&2; exit 1; }
for tool in dpkg-buildpackage dh lintian; do
    if ! command -v "$tool" >/dev/null; then
        echo "deb_test: $tool is not installed (scripts/bootstrap); skipped"
        exit 77
    fi
done
packages="libparticle0 libparticle-dev particlectl particle-bridge particle-sim"
have_all() {
    for p in $packages; do
        ls "$debs"/"${p}"_*.deb >/dev/null 2>&1 || return 1
    done
}
if ! have_all; then
    echo "deb_test: building the packages (make deb)"
    make -C "$top" deb >"$top/build/deb-test.log" 2>&1 || {
        tail -n 40 "$top/build/deb-test.log" >&2
        fail "make deb failed (whole log: $top/build/deb-test.log)"
    }
    have_all || fail "make deb did not build all of: $packages"
else
    lintian --fail-on error "$debs"/*.changes || fail "lintian reports errors"
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
for p in $packages; do
    dpkg -x "$(ls "$debs"/"${p}"_*.deb | head -n 1)" "$root"
done
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
export LD_LIBRARY_PATH="$root/usr/lib/$multiarch" # libparticle0, not installed system-wide

"$root/usr/bin/particlectl" --version | grep -q . || fail "particlectl --version"
"$root/usr/bin/particle-bridge" --version | grep -q 'particle-bridge' || fail "bridge --version"
conf="$root/etc/particle-bridge/particle-bridge.ini"
[ -f "$conf" ] || fail "no /etc/particle-bridge/particle-bridge.ini"
env -u PARTICLE_ACCESS_TOKEN -u PARTICLE_BRIDGE_API_KEY \
    "$root/usr/bin/particle-bridge" --check-config "$conf" >/dev/null ||
    fail "particle-bridge --check-config refuses the installed configuration"
fleet=$(find "$root/usr/share/doc/particle-sim/examples" -name 'particle-sim-fleet.json*')
[ -n "$fleet" ] || fail "no sample fleet"
case "$fleet" in *.gz) gunzip -c "$fleet" >"$root/fleet.json" && fleet="$root/fleet.json" ;; esac
"$root/usr/bin/particle-sim" --check-fleet "$fleet" >/dev/null || fail "the sample fleet is refused"

units=$(dirname "$(find "$root" -name particle-bridge.service -path '*systemd/system*' | head -n 1)")
[ -f "$units/particle-sim.service" ] || fail "the units are not installed"
"$top/tests/ops/units_test.sh" "$units" "$root/usr/bin/particle-bridge" \
    "$root/usr/bin/particle-sim" || fail "the installed units"

for f in usr/share/man/man1/particlectl.1.gz usr/share/man/man1/particle-sim.1.gz \
    usr/share/man/man8/particle-bridge.8.gz usr/share/man/man3/libparticle.3.gz \
    usr/share/particle-bridge/dashboard/index.html \
    "usr/lib/$multiarch/pkgconfig/libparticle.pc" "usr/lib/$multiarch/libparticle.a" \
    usr/include/particle/particle.h; do
    [ -e "$root/$f" ] || fail "no /$f"
done
# particlectl opens libcurl with dlopen() (cli/curl_lazy.c): dh_shlibdeps cannot see it.
dpkg -f "$(ls "$debs"/particlectl_*.deb | head -n 1)" Depends | grep -q 'libcurl4' ||
    fail "particlectl does not depend on libcurl4"
control=$(mktemp -d)
dpkg -e "$(ls "$debs"/particle-bridge_*.deb | head -n 1)" "$control"
sh -n "$control/postinst" || fail "the postinst is not valid sh"
grep -q 'adduser --system' "$control/postinst" || fail "the postinst creates no user"
grep -q 'chmod 0640' "$control/postinst" || fail "the postinst leaves the config's mode"
grep -q '/etc/particle-bridge/particle-bridge.ini' "$control/conffiles" || fail "no conffile"
rm -rf "$control"
echo "deb_test: the five packages install and run"
