#!/usr/bin/env bash
# Builds and runs bench_decisions (bench preset) and prints what a decision_table evaluation
# costs beside a rule reading one key, as markdown: medians of the repetitions with their spread
# (coefficient of variation), the machine named. Run it on a quiet machine.
#
#   bench/run_decisions.sh               # 5 repetitions of 0.3 s each
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

# shellcheck source=bench/run_benchmark.sh
source bench/run_benchmark.sh
run_benchmark bench_decisions 0.3 hide "" "$@"

PYTHONPATH=bench python3 - "$results" <<'PY'
import sys

from bench_report import Report

report = Report(sys.argv[1])
print("A chain of 10 nodes, one execution at a time on 2 threads: ns per node, medians "
      "(spread: coefficient of variation of the repetitions); cost = the row minus the rule "
      "alone, which is the table's evaluation")
print()
rows = [("Rule", "rule reading one key", None)]
for count, target in ((20, 300), (5000, 2000)):
    for which, what in enumerate(("first", "middle", "last", "no")):
        rows.append((f"Table/{count}/{which}", f"{count} rules, {what} rule matching", target))
report.table(rows, "Rule")
PY
