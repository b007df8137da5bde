#!/usr/bin/env bash
# Builds and runs bench_executor (bench preset) and prints its tables as markdown: medians of
# the repetitions, the engine side by side with oneTBB flow graph and plain Asio posts from the
# same run, with the machine named. Run it on a quiet machine.
#
#   bench/run_executor.sh                  # 5 repetitions of 0.3 s each
#   BENCH_REPETITIONS=3 bench/run_executor.sh --benchmark_filter=shape:0
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

# shellcheck source=bench/run_benchmark.sh
source bench/run_benchmark.sh
run_benchmark bench_executor 0.3 hide "; oneTBB $(dpkg-query -W -f='${Version}' libtbb-dev)" "$@"

python3 - "$results" <<'PY'
import json
import sys

with open(sys.argv[1]) as f:
    report = json.load(f)

medians = {}
for entry in report["benchmarks"]:
    if entry.get("run_type") == "aggregate" and entry.get("aggregate_name") == "median":
        medians[entry["run_name"]] = entry


def per_node(family, shape, n):
    entry = medians.get(f"{family}/shape:{shape}/n:{n}/real_time")
    rate = entry.get("items_per_second") if entry else None
    return 1e9 / rate if rate else None


def fmt(value, spec, suffix=""):
    return "n/a" if value is None else format(value, spec) + suffix


names = {0: "chain", 1: "fan-out/fan-in", 2: "binary tree", 3: "diamond"}
print("ns per node (wall time of one execution / its nodes), medians; ratio = engine / oneTBB")
print()
print("| shape | nodes | engine | oneTBB flow graph | Asio posts | ratio |")
print("|---|---:|---:|---:|---:|---:|")
for shape, n in [(0, 10), (0, 1000), (0, 100000), (1, 10), (1, 1000), (1, 100000), (2, 1023),
                 (3, 5)]:
    engine, tbb, asio = (per_node(f, shape, n) for f in ("BM_Engine", "BM_Tbb", "BM_Asio"))
    ratio = engine / tbb if engine and tbb else None
    print(f"| {names[shape]} | {n} | {fmt(engine, '.1f')} | {fmt(tbb, '.1f')} "
          f"| {fmt(asio, '.1f')} | {fmt(ratio, '.2f', 'x')} |")
print()
print("5-node diamond, 64 executions in flight, 2 threads (executions per second): started 64 at")
print("a time and waited for (batch), or kept at 64, each completion starting the next (steady)")
print()
print("| load | engine | heap allocations per execution | oneTBB (64 graphs) | ratio |")
print("|---|---:|---:|---:|---:|")
for load, suffix in (("batch", "Throughput"), ("steady", "Steady")):
    engine_entry = medians.get(f"BM_Engine{suffix}/real_time", {})
    engine = engine_entry.get("items_per_second")
    allocs = engine_entry.get("allocs/exec")
    tbb = medians.get(f"BM_Tbb{suffix}/real_time", {}).get("items_per_second")
    ratio = tbb / engine if engine and tbb else None
    print(f"| {load} | {fmt(engine, ',.0f')} | {fmt(allocs, '.3f')} | {fmt(tbb, ',.0f')} "
          f"| {fmt(ratio, '.2f', 'x')} |")
PY
