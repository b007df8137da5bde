#!/usr/bin/env bash
# Builds and runs bench_composition (bench preset) and prints what a wrapper and a child graph
# cost beside the bare node, as markdown: medians of the repetitions, with their spread
# (coefficient of variation), the machine named. Run it on a quiet machine.
#
#   bench/run_composition.sh               # 9 repetitions of 0.3 s each
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

# shellcheck source=bench/run_benchmark.sh
source bench/run_benchmark.sh
BENCH_REPETITIONS="${BENCH_REPETITIONS:-9}" run_benchmark bench_composition 0.3 hide "" "$@"

PYTHONPATH=bench python3 - "$results" <<'PY'
import sys

from bench_report import Report

table = Report(sys.argv[1]).table

print("A chain of 10 nodes, one execution at a time on 2 threads: ns per node, medians "
      "(spread: coefficient of variation of the repetitions); cost = the row minus Bare")
print()
table([("Bare", "the no-op node itself", None),
       ("WrapInline", "wrapper returning its inner node's run", 100),
       ("WrapAwait", "wrapper coroutine awaiting its inner node", 100),
       ("ChildInline", "node starting a child graph of 1 no-op node", 1000),
       ("ChildAwait", "node coroutine awaiting a child graph of 1 no-op node", 1000),
       ("WrapTask", "wrapper task (TaskNode) awaiting its inner node", 100),
       ("ChildTask", "node task (TaskNode) awaiting a child graph of 1 no-op node", 1000)],
      "Bare")
print()
print("The same chain, each execution started by the previous one's completion on a runtime "
      "thread (no hand-over from the benchmark's thread): ns per node")
print()
table([("BareSteady", "the no-op node itself", None),
       ("WrapAwaitSteady", "wrapper coroutine awaiting its inner node", 100),
       ("ChildAwaitSteady", "node coroutine awaiting a child graph of 1 no-op node", 1000)],
      "BareSteady")
print()
print("The built-in wrappers around a rule reading one key (cost = the row minus the rule alone)")
print()
table([("KeyRead", "rule `k` alone", None),
       ("CacheHit", "with `cache` on `k`, a hit", 150),
       ("RetryInline", "with `retry`, first attempt succeeds", None),
       ("TimeoutInline", "with `timeout_ms`, in time", None)], "KeyRead")
print()
print("`foreach` over 1,000 items, each a child graph of 1 no-op node run inline, one execution "
      "at a time on 2 threads: ns per item")
print()
table([("Foreach", "foreach, per item", 1000)], "Foreach", unit="ns per item")
PY
