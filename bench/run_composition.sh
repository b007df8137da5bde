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

python3 - "$results" <<'PY'
import json
import sys

with open(sys.argv[1]) as f:
    report = json.load(f)

aggregates = {}
for entry in report["benchmarks"]:
    if entry.get("run_type") == "aggregate":
        aggregates.setdefault(entry["run_name"], {})[entry["aggregate_name"]] = entry


def per_node(name):
    entry = aggregates.get(f"BM_{name}/real_time", {})
    median = entry.get("median", {}).get("items_per_second")
    cv = entry.get("cv", {}).get("items_per_second")
    return (1e9 / median if median else None), cv


def table(rows, baseline):
    """One markdown table: ns per node, spread, and the cost over the `baseline` row."""
    base, _ = per_node(baseline)
    print("| node | ns per node | spread | cost | target |")
    print("|---|---:|---:|---:|---:|")
    for name, what, target in rows:
        ns, cv = per_node(name)
        cost = ns - base if ns is not None and base is not None and name != baseline else None
        print(f"| {what} | {'n/a' if ns is None else f'{ns:.0f}'} "
              f"| {'n/a' if cv is None else f'{cv * 100:.0f}%'} "
              f"| {'' if cost is None else f'{cost:+.0f}'} "
              f"| {'' if target is None else f'<= {target}'} |")


print("A chain of 10 nodes, one execution at a time on 2 threads: ns per node, medians "
      "(spread: coefficient of variation of the repetitions); cost = the row minus Bare")
print()
table([("Bare", "the no-op node itself", None),
       ("WrapInline", "wrapper returning its inner node's run", 100),
       ("WrapAwait", "wrapper coroutine awaiting its inner node", 100),
       ("ChildInline", "node starting a child graph of 1 no-op node", 1000),
       ("ChildAwait", "node coroutine awaiting a child graph of 1 no-op node", 1000)], "Bare")
print()
print("The built-in wrappers around a rule reading one key (cost = the row minus the rule alone)")
print()
table([("KeyRead", "rule `k` alone", None),
       ("CacheHit", "with `cache` on `k`, a hit", 150),
       ("RetryInline", "with `retry`, first attempt succeeds", None),
       ("TimeoutInline", "with `timeout_ms`, in time", None)], "KeyRead")
PY
