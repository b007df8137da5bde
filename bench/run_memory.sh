#!/usr/bin/env bash
# Builds and runs bench_context_pool (bench preset), then prints the founding guide's tables
# as markdown: medians of the repetitions, with the machine named (DESIGN.md, "Performance
# principles"). Run it on a quiet machine: other load shows up directly in the wall times.
#
#   bench/run_memory.sh                              # 5 repetitions of 0.2 s each
#   BENCH_REPETITIONS=3 bench/run_memory.sh --benchmark_filter=ReuseRate
#
# Extra arguments go to the benchmark binary.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

# shellcheck source=bench/run_benchmark.sh
source bench/run_benchmark.sh
# 0.2 s: benchmark 1.7.1 takes plain seconds
run_benchmark bench_context_pool 0.2 show "" "$@"

echo
python3 - "$results" <<'EOF'
import json
import sys

with open(sys.argv[1]) as f:
    report = json.load(f)

# (family, contexts, threads) -> median entry
medians = {}
for entry in report["benchmarks"]:
    if entry.get("run_type") != "aggregate" or entry.get("aggregate_name") != "median":
        continue
    if entry.get("error_occurred"):
        continue
    parts = entry["run_name"].split("/")
    medians[(parts[0], int(parts[1]), int(entry.get("threads", 1)))] = entry


def ns_per_context(entry):
    # items are contexts; items_per_second is wall-clock throughput of all threads together.
    rate = entry.get("items_per_second") if entry else None
    return 1e9 / rate if rate else None


def fmt(value, spec, suffix=""):
    return "n/a" if value is None else format(value, spec) + suffix


def counter(entry, name):
    return entry.get(name) if entry else None


labels = {1: "single", 100: "100", 1000: "1000"}

context = report.get("context", {})
print(f"Run {context.get('date', '?')} on {context.get('host_name', '?')}, "
      f"{context.get('num_cpus', '?')} CPUs @ {context.get('mhz_per_cpu', '?')} MHz; "
      "medians of the repetitions; ns per context = wall time / contexts done by all threads.")
print()
print("| Contexts | Threads | Without pool (ns/ctx) | With pool (ns/ctx) | Speed-up "
      "| Allocs/ctx without | Allocs/ctx with |")
print("|---|---:|---:|---:|---:|---:|---:|")
for threads in (1, 2):
    for count in (1, 100, 1000):
        without = medians.get(("BM_WithoutPool", count, threads))
        pooled = medians.get(("BM_WithPool", count, threads))
        t_without, t_with = ns_per_context(without), ns_per_context(pooled)
        speedup = t_without / t_with if t_without and t_with else None
        print(f"| {labels[count]} | {threads} | {fmt(t_without, '.1f')} | {fmt(t_with, '.1f')} "
              f"| {fmt(speedup, '.2f', 'x')} | {fmt(counter(without, 'allocs/ctx'), '.2f')} "
              f"| {fmt(counter(pooled, 'allocs/ctx'), '.2f')} |")

print()
print("Pool sized for the working set above (max_pooled 2000). With the default PoolConfig "
      "(max_pooled 100), a release beyond 100 idle contexts destroys the context:")
print()
print("| Contexts | Threads | Default pool (ns/ctx) | Speed-up vs no pool | Reuse % "
      "| Allocs/ctx |")
print("|---|---:|---:|---:|---:|---:|")
for threads in (1, 2):
    for count in (100, 1000):
        without = medians.get(("BM_WithoutPool", count, threads))
        pooled = medians.get(("BM_WithDefaultPool", count, threads))
        t_without, t_with = ns_per_context(without), ns_per_context(pooled)
        speedup = t_without / t_with if t_without and t_with else None
        print(f"| {labels[count]} | {threads} | {fmt(t_with, '.1f')} "
              f"| {fmt(speedup, '.2f', 'x')} | {fmt(counter(pooled, 'reuse_%'), '.1f')} "
              f"| {fmt(counter(pooled, 'allocs/ctx'), '.2f')} |")

print()
print("Reuse rate vs allocations: 10 rounds x 100 contexts (1000 acquisitions) on a fresh pool "
      "with max_pooled = target, warm-started with reserve(target).")
print()
print("| Target reuse | Measured reuse % | Heap allocations | Contexts created | ns/context |")
print("|---:|---:|---:|---:|---:|")
for target in (0, 50, 90, 100):
    entry = medians.get(("BM_ReuseRate", target, 1))
    print(f"| {target}% | {fmt(counter(entry, 'reuse_%'), '.1f')} "
          f"| {fmt(counter(entry, 'heap_allocs'), '.0f')} "
          f"| {fmt(counter(entry, 'contexts_created'), '.0f')} "
          f"| {fmt(ns_per_context(entry), '.1f')} |")
EOF
