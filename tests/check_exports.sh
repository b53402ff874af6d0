#!/usr/bin/env bash
# Export check (jansson's check-exports): the shared library exports only particle_*
# functions and data, nothing from util/ or the libraries it links.
set -euo pipefail
lib=$1
bad=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' | grep -v '^particle_' || true)
if [ -n "$bad" ]; then
    echo "unexpected exported symbols in $lib:" >&2
    echo "$bad" >&2
    exit 1
fi
count=$(nm -D --defined-only "$lib" | awk '$2 == "T"' | wc -l)
echo "export check: $count particle_* functions exported, nothing else"
