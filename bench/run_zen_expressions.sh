#!/usr/bin/env bash
# ZEN's expression language, side by side with ZEN's own engine through its Node binding
# (@gorules/zen-engine from npm, installed under build/bench/zen-node): ns per evaluation of each
# case of bench/zen/expressions.json. Two rounds, each running both (the second in the other
# order); medians over all repetitions with their spread (coefficient of variation). ZEN's
# binding parses on every call, so compare it with ParseEval; Eval is the parsed-once figure.
#
#   bench/run_zen_expressions.sh        # 2 rounds x 5 repetitions of 0.3 s each
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

# shellcheck source=bench/zen/binding.sh
source bench/zen/binding.sh

reps=${BENCH_REPETITIONS:-5}
min_time=${BENCH_MIN_TIME:-0.3}
# shellcheck source=bench/run_benchmark.sh
source bench/run_benchmark.sh
out_dir=build/bench/bench
run_cpp() {
  run_benchmark bench_zen_expressions "$min_time" hide \
    " (@gorules/zen-engine $zen_version, node $(node --version))" \
    --benchmark_report_aggregates_only=false
  cp "$results" "$out_dir/zen_cpp_$1.json"
}
run_node() {
  (cd "$node_dir" && node "$repo/bench/zen/bench_expressions.mjs" "$repo/bench/zen/expressions.json" \
    "$reps" "$min_time") >"$out_dir/zen_node_$1.json"
}
run_cpp 1 && run_node 1
run_node 2 && run_cpp 2 >/dev/null

python3 - "$out_dir" "$repo/bench/zen/expressions.json" <<'PY'
import json, statistics, sys

out_dir, cases_file = sys.argv[1], sys.argv[2]
names = [c["name"] for c in json.load(open(cases_file))]

def cpp(kind):
    runs = {}
    for r in (1, 2):
        for b in json.load(open(f"{out_dir}/zen_cpp_{r}.json"))["benchmarks"]:
            if b.get("run_type") != "iteration":
                continue
            family, name = b["run_name"].split("/")[:2]
            if family == f"BM_{kind}":
                runs.setdefault(name, []).append(b["real_time"])
    return runs

def node():
    runs = {}
    for r in (1, 2):
        for name, values in json.load(open(f"{out_dir}/zen_node_{r}.json")).items():
            runs.setdefault(name, []).extend(values)
    return runs

def stat(values):
    m = statistics.median(values)
    cv = statistics.pstdev(values) / statistics.mean(values)
    return m, cv

ev, pe, zn = cpp("Eval"), cpp("ParseEval"), node()
print("ns per evaluation, medians of", len(zn[names[0]]), "repetitions each (spread: coefficient of variation)")
print()
print("| case | ZEN (Node binding) | ours, parsed per call | x faster | ours, parsed once | x faster |")
print("|---|---:|---:|---:|---:|---:|")
for n in names:
    z, zc = stat(zn[n]); p, pc = stat(pe[n]); e, ec = stat(ev[n])
    print(f"| {n} | {z:.0f} ({zc*100:.0f}%) | {p:.0f} ({pc*100:.0f}%) | {z/p:.1f} | {e:.0f} ({ec*100:.0f}%) | {z/e:.1f} |")
PY
