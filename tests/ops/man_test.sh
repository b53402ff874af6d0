#!/usr/bin/env bash
# The man pages cannot drift from what they document: every option particle-bridge and
# particle-sim print in --help is in their --help-man page, and every function the shared
# library exports has a section 3 page (scripts/gen-man3) that documents it.
#   man_test.sh PARTICLE_BRIDGE PARTICLE_SIM LIBPARTICLE_SO MAN3_DIR
set -euo pipefail
bridge=$1 sim=$2 lib=$3 man3=$4
fail() { echo "man_test: $*" >&2; exit 1; }

for program in "$bridge" "$sim"; do
    name=$(basename "$program")
    page=$("$program" --help-man | sed 's/\\-/-/g')
    grep -q "^\.TH ${name^^} [18] " <<<"$page" || fail "$name: no .TH line"
    grep -q "^\.SH NAME" <<<"$page" || fail "$name: no NAME section"
    options=$("$program" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
    [ -n "$options" ] || fail "$name: no option in --help"
    for option in $options; do
        grep -q -- "$option" <<<"$page" || fail "$name: $option is in --help, not in the man page"
    done
    echo "man_test: $name: $(wc -w <<<"$options") options, all in the man page"
done

[ -f "$man3/libparticle.3" ] || fail "no libparticle.3 in $man3"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# In bulk (a few processes, not a few per function: the test runs on busy CI machines).
nm -D --defined-only "$lib" | awk '$2 == "T" && $3 ~ /^particle_/ {print $3}' | sort -u >"$work/exported"
[ -s "$work/exported" ] || fail "no exported function found in $lib"
find "$man3" -name 'particle_*.3' -printf '%f\n' | sed 's/\.3$//' | sort -u >"$work/linked"
sed -n 's/^\.SS //p' "$man3"/libparticle-*.3 | sed 's/\\-/-/g' | sort -u >"$work/entries"
missing=$(comm -23 "$work/exported" "$work/linked")
[ -z "$missing" ] || fail "exported without a page: $missing"
missing=$(comm -23 "$work/exported" "$work/entries")
[ -z "$missing" ] || fail "exported without an entry in a header's page: $missing"
# Every link points to a header page that has the function, and the index lists each page.
grep -H '^\.so man3/' "$man3"/particle_*.3 |
    awk '{ i = index($0, ":.so man3/"); path = substr($0, 1, i - 1); sub(/.*\//, "", path)
           sub(/\.3$/, "", path); print path, substr($0, i + 10) }' >"$work/links"
[ "$(wc -l <"$work/links")" = "$(wc -l <"$work/linked")" ] || fail "a function page is not a .so link"
awk 'FNR == 1 { page = FILENAME; sub(/.*\//, "", page) }
     /^\.SS / { name = $2; gsub(/\\-/, "-", name); print name, page }' \
    "$man3"/libparticle-*.3 | sort >"$work/documented"
wrong=$(sort "$work/links" | comm -23 - "$work/documented")
[ -z "$wrong" ] || fail "links to a page that does not document the function: $wrong"
index=$(sed 's/\\-/-/g' "$man3/libparticle.3")
for page in "$man3"/libparticle-*.3; do
    name=$(basename "$page" .3)
    grep -q -- "$name" <<<"$index" || fail "libparticle.3 does not list $name"
done
echo "man_test: $(wc -l <"$work/exported") exported functions, each with its entry in a section 3 page"
