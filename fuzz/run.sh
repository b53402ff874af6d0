#!/bin/sh
# Runs one libFuzzer target on its seed corpus without touching it:
#   fuzz/run.sh TARGET CORPUS_DIR [libFuzzer options...]
# New inputs go to a scratch directory that is deleted afterwards; a crashing input is kept
# as crash-*/leak-*/timeout-* in the current directory (libFuzzer's artifact prefix), and
# the exit status is libFuzzer's (0 when nothing was found). To keep the new inputs, merge
# them into the corpus by hand: TARGET -merge=1 CORPUS_DIR NEW_DIR.
set -eu
if [ $# -lt 2 ]; then
    echo "usage: $0 TARGET CORPUS_DIR [libFuzzer options...]" >&2
    exit 2
fi
target=$1
corpus=$2
shift 2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$target" -print_final_stats=1 "$@" "$scratch" "$corpus"
