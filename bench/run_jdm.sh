#!/usr/bin/env bash
# JDM decision models of ZEN's own benchmark (benchmark/manifest.json and its fixtures, read
# from a checkout of gorules/zen), side by side with ZEN's engine through its Node binding
# (@gorules/zen-engine, installed under build/bench/zen-node): ns per decision one after
# another, and decisions per second with 64 in flight (ours on 2 executor threads). Two rounds,
# the second in the other order; medians over all repetitions with their spread (coefficient of
# variation). Also checks that both give the same result on each model.
#
#   bench/run_jdm.sh PATH/TO/zen      # 2 rounds x 5 repetitions of 1 s each
#   BENCH_DIR=build/ci/bench bench/run_jdm.sh PATH/TO/zen   # with a release build made already
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
zen="$(cd "${1:?usage: bench/run_jdm.sh PATH/TO/zen}" && pwd)"
cd "$repo"

# shellcheck source=bench/zen/binding.sh
source bench/zen/binding.sh

reps=${BENCH_REPETITIONS:-5}
seconds=${BENCH_SECONDS:-1}
# BENCH_DIR: the bench folder of a release build made already (build/ci/bench).
out_dir=${BENCH_DIR:-build/bench/bench}
if [[ -z ${BENCH_DIR:-} ]]; then
  cmake --preset bench >/dev/null
  cmake --build --preset bench --target bench_jdm
fi
fixtures="$zen/benchmark/fixtures"
manifest="$zen/benchmark/manifest.json"
echo
echo "Machine: $(lscpu | grep 'Model name' | sed 's/.*:[[:space:]]*//'), $(nproc) CPUs"
echo "Compiler: $(c++ --version | head -n 1); @gorules/zen-engine $zen_version, node $(node --version)"
echo

run_cpp() { "$out_dir/bench_jdm" "$fixtures" "$manifest" "$reps" "$seconds" >"$out_dir/jdm_cpp_$1.json"; }
run_node() {
  (cd "$node_dir" && node "$repo/bench/zen/bench_jdm.mjs" "$fixtures" "$manifest" "$reps" \
    "$seconds") >"$out_dir/jdm_node_$1.json"
}
run_cpp 1 && run_node 1
run_node 2 && run_cpp 2

python3 - "$out_dir" <<'PY'
import decimal, json, statistics, sys

out_dir = sys.argv[1]
def load(kind):
    rows = {}
    for r in (1, 2):
        for name, row in json.load(open(f"{out_dir}/jdm_{kind}_{r}.json")).items():
            into = rows.setdefault(name, {"result": row["result"]})
            for metric in ("sequential_ns", "sequential_json_ns", "rate_64", "rate_64_json"):
                if metric in row:
                    into.setdefault(metric, []).extend(row[metric])
    return rows

def stat(values):
    return statistics.median(values), statistics.pstdev(values) / statistics.mean(values)

def same(a, b):
    as_decimal = lambda v: json.loads(json.dumps(v), parse_float=decimal.Decimal, parse_int=decimal.Decimal)
    return as_decimal(a) == as_decimal(b)

ours, zen = load("cpp"), load("node")
print("medians of", len(next(iter(zen.values()))["rate_64"]), "repetitions each (spread: coefficient of variation)")
print("ours: the decision (a ZEN value, as ZEN's engine returns its result); ours+json: that")
print("result also converted to nlohmann::json (as the binding converts ZEN's to JavaScript)")
print()
print("| model | same result | ZEN ns/decision | ours | x | ours+json | x "
      "| ZEN decisions/s, 64 in flight | ours | x | ours+json | x |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
cell = lambda values: "{:.0f} ({:.0f}%)".format(*(lambda m, c: (m, c * 100))(*stat(values)))
for name in zen:
    z, o = zen[name], ours[name]
    zs, zr = stat(z["sequential_ns"])[0], stat(z["rate_64"])[0]
    os_, osj = stat(o["sequential_ns"])[0], stat(o["sequential_json_ns"])[0]
    orr, orj = stat(o["rate_64"])[0], stat(o["rate_64_json"])[0]
    print(f"| {name} | {'yes' if same(z['result'], o['result']) else 'NO'} | {cell(z['sequential_ns'])} | "
          f"{cell(o['sequential_ns'])} | {zs/os_:.1f} | {cell(o['sequential_json_ns'])} | {zs/osj:.1f} | "
          f"{cell(z['rate_64'])} | {cell(o['rate_64'])} | {orr/zr:.1f} | {cell(o['rate_64_json'])} | {orj/zr:.1f} |")
PY
