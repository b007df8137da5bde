#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang, library instrumented, ASan+UBSan) and runs
# each for SECONDS (default 60) on a copy of its seed corpus, so the checked-in corpus never
# grows; as many fuzzers at a time as there are cores. Prints one line per fuzzer; exits
# non-zero when any finds a crash, a sanitizer report, a timeout or an out-of-memory, and names
# the reproducer it saved.
#   scripts/fuzz.sh [SECONDS]
# CMAKE_BUILD_PARALLEL_LEVEL limits the build's jobs, as for any cmake --build.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds == 0)); then
  echo "usage: scripts/fuzz.sh [SECONDS]  (a positive whole number, default 60)" >&2
  exit 2
fi

scripts/install-deps.sh

# libFuzzer and the sanitizer runtimes come with libclang-rt-14-dev; without it the build fails
# at the first link with a message about a missing libclang_rt.fuzzer. Say so up front.
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '%s\n' '#include <cstddef>' '#include <cstdint>' \
  'extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }' \
  >"$probe/probe.cpp"
if ! clang++ -fsanitize=fuzzer,address,undefined "$probe/probe.cpp" -o "$probe/probe" \
  2>"$probe/log"; then
  cat "$probe/log" >&2
  echo "fuzz: clang++ cannot link a libFuzzer target: is libclang-rt-14-dev installed?" >&2
  exit 1
fi

echo "== build (fuzz)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target lg_fuzzers

# Stack traces with function names and lines need llvm-symbolizer (from the llvm-14 package that
# clang depends on); it is not always on PATH under that name.
for symbolizer in llvm-symbolizer llvm-symbolizer-14 /usr/lib/llvm-14/bin/llvm-symbolizer; do
  if command -v "$symbolizer" >/dev/null; then
    export ASAN_SYMBOLIZER_PATH
    ASAN_SYMBOLIZER_PATH=$(command -v "$symbolizer")
    break
  fi
done
# UBSan findings must stop the run (the preset also builds with -fno-sanitize-recover=all).
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

out=build/fuzz
status=0
# Runs one fuzzer: fuzz NAME CORPUS_NAME [libFuzzer flags...]
fuzz() {
  local name=$1 corpus_name=$2
  shift 2
  local corpus=$out/corpus/$corpus_name artifacts=$out/artifacts/$name/ log=$out/$name.log
  # The work corpus lives in the build tree and keeps what earlier runs found; the seeds are
  # copied in each time, so new or changed seeds always take part.
  mkdir -p "$corpus" "$artifacts"
  cp tests/fuzz/corpus/"$corpus_name"/* "$corpus"/
  echo "== $name (${seconds} s, log: $log)"
  local started=$SECONDS rc=0
  # The outer timeout only guards against a hang libFuzzer itself cannot end.
  timeout --kill-after=30 $((seconds + 120)) \
    "$out/tests/fuzz/$name" "$@" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts" "$corpus" >"$log" 2>&1 || rc=$?
  local elapsed=$((SECONDS - started))
  local runs cov corpus_size
  runs=$(grep -oE '^stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$' || true)
  cov=$(grep -oE ' cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || true)
  corpus_size=$(grep -oE ' corp: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || true)
  local figures="${runs:-?} runs in ${elapsed} s, coverage ${cov:-?} edges, corpus ${corpus_size:-?}"
  if ((rc == 0)); then
    echo "$name: $figures, no crash"
    return
  fi
  local reproducer
  reproducer=$(grep -oE "Test unit written to [^ ]+" "$log" | tail -1 | sed 's/.* //' || true)
  echo "$name: FAILED (exit $rc) after $figures; reproducer: ${reproducer:-none}; log: $log"
  # The report in short: what happened, the frames in our code (a stack overflow's top frames are
  # all library templates) and the sanitizer's summary; the log has the full trace.
  {
    grep -m1 -E '==ERROR|runtime error|^fuzz_[a-z_]+: |deadly signal|ALARM|out-of-memory' "$log"
    grep -E '^ +#[0-9]+ .* in (lg::|LLVMFuzzerTestOneInput|\(anonymous namespace\)::)' "$log" |
      head -20
    grep -m1 '^SUMMARY' "$log"
  } | cut -c1-300 || true
  return 1
}

fuzzers=(
  "fuzz_graph_def graph -dict=tests/fuzz/graph.dict -max_len=65536"
  "fuzz_expression expression -dict=tests/fuzz/expression.dict"
  "fuzz_zen_expression zen_expression -dict=tests/fuzz/zen_expression.dict"
  "fuzz_jdm jdm -dict=tests/fuzz/jdm.dict -max_len=65536"
)
# As many at a time as there are cores, each on one: every fuzzer still gets SECONDS of a core.
# Each one's lines go to a file, printed in order once its wave is done.
parallel=$(nproc)
for ((first = 0; first < ${#fuzzers[@]}; first += parallel)); do
  pids=()
  for ((i = first; i < first + parallel && i < ${#fuzzers[@]}; i++)); do
    read -r -a spec <<<"${fuzzers[i]}"
    fuzz "${spec[@]}" >"$out/${spec[0]}.summary" 2>&1 &
    pids+=($!)
  done
  for ((i = first; i < first + ${#pids[@]}; i++)); do
    read -r -a spec <<<"${fuzzers[i]}"
    wait "${pids[i - first]}" || status=1
    cat "$out/${spec[0]}.summary"
  done
done
exit "$status"
