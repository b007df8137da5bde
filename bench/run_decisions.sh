#!/usr/bin/env bash
# Builds and runs bench_decisions (bench preset) and prints what a decision_table evaluation
# costs beside a rule reading one key, as markdown: medians of the repetitions with their spread
# (coefficient of variation), the machine named; run with glibc's malloc, then again with
# jemalloc preloaded (lgraph links it), when libjemalloc2 is installed. Run it on a quiet machine.
#
#   bench/run_decisions.sh               # 5 repetitions of 0.3 s each, per allocator
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

# shellcheck source=bench/run_benchmark.sh
source bench/run_benchmark.sh
run_benchmark bench_decisions 0.3 hide "" "$@"
runs=("glibc's malloc" "$results")
jemalloc="$(jemalloc_library)"
if [[ -n $jemalloc ]]; then
  BENCH_DIR="$(dirname "$results")" BENCH_PRELOAD="$jemalloc" \
    BENCH_RESULTS="${results%.json}_jemalloc.json" \
    run_benchmark bench_decisions 0.3 hide ", jemalloc preloaded" "$@" >/dev/null
  runs+=("jemalloc (preloaded)" "$results")
fi

PYTHONPATH=bench python3 - "${runs[@]}" <<'PY'
import sys

from bench_report import Report

runs = sys.argv[1:]
for allocator, path in zip(runs[0::2], runs[1::2]):
    report = Report(path)
    print(f"A chain of 10 nodes, one execution at a time on 2 threads, {allocator}: ns per "
          "node, medians (spread: coefficient of variation of the repetitions); cost = the row "
          "minus the rule alone, which is the table's evaluation")
    print()
    rows = [("Rule", "rule reading one key", None)]
    for count, target in ((20, 300), (5000, 2000)):
        for which, what in enumerate(("first", "middle", "last", "no")):
            rows.append((f"Table/{count}/{which}", f"{count} rules, {what} rule matching", target))
    report.table(rows, "Rule")
    print()
PY
