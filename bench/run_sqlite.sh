#!/usr/bin/env bash
# Builds and runs bench_sqlite (bench preset) and prints the sqlite node beside SQLite's C API on
# one point query, as markdown: medians of the repetitions with their spread (coefficient of
# variation), the machine named. Run it on a quiet machine.
#
#   bench/run_sqlite.sh               # 9 repetitions of 0.5 s each
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

# shellcheck source=bench/run_benchmark.sh
source bench/run_benchmark.sh
BENCH_REPETITIONS="${BENCH_REPETITIONS:-9}" run_benchmark bench_sqlite 0.5 hide "" "$@"

PYTHONPATH=bench python3 - "$results" <<'PY'
import sys

from bench_report import Report

report = Report(sys.argv[1])
print("A SELECT by primary key of one row (3 columns) from 10,000 rows, WAL file database; "
      "ns per query, medians (spread: coefficient of variation); the node on 2 runtime threads "
      "and 4 SQLite threads; cost = the row minus the direct call")
print()
report.table([("Direct", "prepared statement through SQLite's C API", None),
              ("DirectJson", "the same, the row made a JSON object", None),
              ("Node", "`sqlite` node, one execution at a time", None),
              ("Node64", "`sqlite` node, 64 executions in flight", None)], "Direct",
             first_column="query")
direct, _ = report.per_item("Direct")
node64, _ = report.per_item("Node64")
if direct and node64:
    print()
    print(f"64 in flight: {node64 / direct:.2f}x the direct call's time per query (target <= 2x)")
PY
