# Sourced by the bench runners: builds one benchmark (bench preset), names the machine and runs
# it with repetitions, writing Google Benchmark's JSON to $results for the runner's tables.
#
#   run_benchmark TARGET DEFAULT_MIN_TIME CONSOLE COMPILER_NOTE [benchmark arguments...]
#
# CONSOLE is "show" or "hide" (the benchmark's own report); BENCH_REPETITIONS (default 5) and
# BENCH_MIN_TIME (seconds, default DEFAULT_MIN_TIME) override the run length; BENCH_DIR names
# the bench folder of a release build made already (build/ci/bench) instead of building one;
# BENCH_PRELOAD, a shared library to preload into the benchmark (an allocator), and
# BENCH_RESULTS, where the JSON goes (default: beside the benchmark).
run_benchmark() {
  local target="$1" default_min_time="$2" console="$3" compiler_note="$4"
  shift 4
  local dir="${BENCH_DIR:-build/bench/bench}"
  results="${BENCH_RESULTS:-${dir}/${target}.json}"

  if [[ -z ${BENCH_DIR:-} ]]; then
    cmake --preset bench >/dev/null
    cmake --build --preset bench --target "$target"
  fi

  echo
  echo "Machine: $(lscpu | grep 'Model name' | sed 's/.*:[[:space:]]*//'), $(nproc) CPUs"
  echo "Compiler: $(c++ --version | head -n 1)${compiler_note}"
  echo

  local output=/dev/stdout
  [ "$console" = hide ] && output=/dev/null
  env ${BENCH_PRELOAD:+LD_PRELOAD="$BENCH_PRELOAD"} "${dir}/${target}" \
    --benchmark_repetitions="${BENCH_REPETITIONS:-5}" \
    --benchmark_report_aggregates_only=true \
    --benchmark_min_time="${BENCH_MIN_TIME:-$default_min_time}" \
    --benchmark_out_format=json \
    --benchmark_out="$results" \
    "$@" >"$output"
}

# The path of jemalloc's shared library (libjemalloc2), or nothing when it is not installed.
jemalloc_library() {
  ldconfig -p | awk '/libjemalloc\.so\.2 / {print $NF; exit}'
}
