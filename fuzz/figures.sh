#!/bin/sh
# Prints one line of figures from a libFuzzer run's output (fuzz/run.sh prints the final
# stats):   fuzz/figures.sh NAME LOG
#   NAME inputs exec/s cov ft crashes
# inputs and exec/s are libFuzzer's final stats, cov and ft the last coverage line (edges
# and features), crashes 1 when the run wrote a crashing input (libFuzzer stops at the
# first), else 0. Used by scripts/check-long; docs/BENCHMARKS.md quotes the same figures.
set -eu
if [ $# -ne 2 ]; then
    echo "usage: $0 NAME LOG" >&2
    exit 2
fi
awk -v name="$1" '
    /stat::number_of_executed_units:/ { inputs = $2 }
    /stat::average_exec_per_sec:/ { eps = $2 }
    / cov: [0-9]+ ft: [0-9]+/ {
        for (i = 1; i < NF; i++) {
            if ($i == "cov:") cov = $(i + 1)
            if ($i == "ft:") ft = $(i + 1)
        }
    }
    /Test unit written to/ { crashes = 1 }
    END { printf "%s %s %s %s %s %d\n", name, inputs + 0, eps + 0, cov + 0, ft + 0, crashes + 0 }
' "$2"
