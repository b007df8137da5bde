#!/usr/bin/env bash
# Builds and runs every test: the suite in release (warnings as errors) through ctest, each case
# in a process of its own (so no case depends on another having run first), with the layout
# probes; the whole suite in one process under ASan+UBSan and under TSan; the postgres node's
# cases against a throw-away PostgreSQL server started once for all of them; the examples and the
# lgraph CLI (inside the suite); the fuzzers for a bounded time (LG_FUZZ_SECONDS each, default
# 20); the installed package from an outside project; and the formatting.
# The sanitizer presets build the library with -g1 (CMakePresets.json), TSan at -O1 and ASan+UBSan
# at -Og (at -O2 -g ASan took 17 of the run's 35 minutes on 2 cores; -Og compiles faster still and
# keeps what the sanitizers see), the suite at -O0; -g1 gives their file:line.
# GCC's maybe-uninitialized has false positives at -O1 (in Asio's use_future), and so has its
# mismatched-new-delete (a coroutine frame that co_spawn allocates in main()): the ci preset,
# at -O2, keeps both as errors.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
# Chrome DevTools' trace engine, for the test that opens lgraph's traces in a viewer's parser.
if [[ ! -d tests/trace-viewer/node_modules ]]; then
  npm ci --prefix tests/trace-viewer --no-audit --no-fund --silent
fi

# The postgres node's tests run against a real server: one throw-away cluster for the whole run
# (every preset, ctest's processes too), stopped on exit whatever happens.
postgres_dir="$(mktemp -d -t lg_postgres.XXXXXX)"
stop_postgres() {
  scripts/postgres_server.sh stop "$postgres_dir" || true
  rm -rf "$postgres_dir"
}
trap stop_postgres EXIT
LG_TEST_POSTGRES="$(scripts/postgres_server.sh start "$postgres_dir")"
export LG_TEST_POSTGRES

passed=0
failed=0
# Each stage's wall time, printed at the end: the run must stay under 35 minutes on 2 cores.
stage_times=()
stage_start=$SECONDS
stage_name=""
stage() {
  if [[ -n "$stage_name" ]]; then stage_times+=("$stage_name: $((SECONDS - stage_start)) s"); fi
  stage_name=$1
  stage_start=$SECONDS
  echo "== $1"
}
# Runs the doctest binary of one preset and adds its counts to the totals.
run_suite() {
  local preset=$1 log
  log=$(mktemp)
  echo "== lg_tests ($preset)"
  # A sanitizer report fails the run even when every assertion held: the binary exits non-zero
  # (TSan at exit, ASan and UBSan at once). TSan: see tests/tsan.supp for what is suppressed.
  # Into a file, not a pipe: a process a test left behind cannot hold the run open. The
  # suite's watchdog (tests/support/watchdog.cpp) ends a test case that hangs, with its stacks;
  # the timeout is the last resort.
  local status=0
  TSAN_OPTIONS="suppressions=$PWD/tests/tsan.supp" timeout --kill-after=30 2400 \
    ./build/"$preset"/tests/lg_tests >"$log" 2>&1 || status=$?
  cat "$log"
  # Findings only: the out-of-memory tests make ASan warn that an allocation failed, as asked.
  if ((status != 0)) ||
    grep -qE 'WARNING: ThreadSanitizer:|ERROR: (AddressSanitizer|LeakSanitizer):|runtime error:' \
      "$log"; then
    echo "lg_tests ($preset) exited with $status or reported a sanitizer finding"
    failed=$((failed + 1))
  fi
  local line
  line=$(grep '^\[doctest\] test cases:' "$log" | tail -1)
  passed=$((passed + $(sed -E 's/.*\| *([0-9]+) passed.*/\1/' <<<"$line")))
  failed=$((failed + $(sed -E 's/.*\| *([0-9]+) failed.*/\1/' <<<"$line")))
  grep -q 'Status: SUCCESS' "$log" || failed=$((failed + 1))
  rm -f "$log"
}

# Runs ctest in the build of one preset, each test in its own process, and adds its counts.
run_ctest() {
  local preset=$1 log
  log=$(mktemp)
  echo "== ctest ($preset): each case alone"
  if ctest --preset "$preset" -j "$(nproc)" --timeout 900 >"$log" 2>&1; then :; fi
  cat "$log"
  local line total failures
  line=$(grep -E '^[0-9]+% tests passed' "$log" | tail -1)
  total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
  failures=$(sed -E 's/.*, ([0-9]+) tests failed.*/\1/' <<<"$line")
  if [[ -z "$line" ]]; then total=0; failures=1; fi
  passed=$((passed + total - failures))
  failed=$((failed + failures))
  rm -f "$log"
}

stage format
mapfile -t sources < <(git ls-files '*.cpp' '*.hpp')
clang-format --dry-run --Werror "${sources[@]}"
# ctest's discovery splits a case's name at a semicolon (a CMake list separator); the halves
# match no case, so that case would pass in ctest without running.
if git grep -nE '(TEST_CASE|SUBCASE)\("[^"]*;' -- 'tests/*.cpp'; then
  echo "a test case's name holds a semicolon (above): use a comma"
  exit 1
fi

for preset in ci asan tsan; do
  stage "build ($preset)"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  stage "tests ($preset)"
  if [[ "$preset" == ci ]]; then run_ctest "$preset"; else run_suite "$preset"; fi
done

stage "fuzz (graph loader, expression parser, ZEN expressions, JDM models)"
if scripts/fuzz.sh "${LG_FUZZ_SECONDS:-20}"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

stage "find_package consumer"
prefix=$(mktemp -d)
cmake --install build/ci --prefix "$prefix" >/dev/null
cmake -S tests/find-package -B build/consumer -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build build/consumer
if ./build/consumer/consumer; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
rm -rf "$prefix"

stage done
printf '%s\n' "${stage_times[@]}"
echo "total: $SECONDS s (setup before format included)"
echo "tests: $passed passed, $failed failed"
((failed == 0))
