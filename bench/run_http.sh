#!/usr/bin/env bash
# Builds bench_http (bench preset) and measures the `http` node beside wrk (Debian's wrk) against
# the same loopback server in one run, alternating: wrk with 64 connections on 2 threads, then
# the node with 64 executions in flight on a 2-thread runtime, ROUNDS times each; prints requests
# per second as markdown, medians with their spread (min-max), the machine named. The server
# runs on SERVER_THREADS threads (default 1) of its own process. Run it on a quiet machine.
#
#   bench/run_http.sh               # 5 rounds of 5 s each
#   ROUNDS=3 SECONDS_EACH=3 bench/run_http.sh
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
rounds="${ROUNDS:-5}"
seconds="${SECONDS_EACH:-5}"
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null

cmake --preset bench >/dev/null
cmake --build --preset bench --target bench_http
bench=build/bench/bench/bench_http

# The server in its own process, until its stdin closes.
coproc server { "$bench" serve "${SERVER_THREADS:-1}"; }
read -r url <&"${server[0]}"
trap 'exec {server[1]}>&-; wait' EXIT

wrk_rates=()
node_rates=()
for ((i = 0; i < rounds; i++)); do
  rate=$(wrk -t2 -c64 -d"${seconds}s" "$url" | awk '/^Requests\/sec:/ {print int($2)}')
  wrk_rates+=("$rate")
  node_rates+=("$("$bench" node "$url" "$seconds")")
done

echo
echo "Machine: $(lscpu | grep 'Model name' | sed 's/.*:[[:space:]]*//'), $(nproc) CPUs"
echo "Compiler: $(c++ --version | head -n 1); $(wrk -v 2>&1 | head -n 1)"
echo
python3 - "${wrk_rates[*]}" "${node_rates[*]}" <<'PY'
import statistics
import sys

wrk = [int(x) for x in sys.argv[1].split()]
node = [int(x) for x in sys.argv[2].split()]
print(f"GET of a 11-byte JSON body over kept-alive connections, loopback; {len(wrk)} rounds, "
      "alternating; requests per second, median (min-max)")
print()
print("| client | requests/s | min-max |")
print("|---|---:|---:|")
for name, rates in (("wrk, 64 connections, 2 threads", wrk),
                    ("`http` node, 64 executions in flight, 2 runtime threads", node)):
    print(f"| {name} | {statistics.median(rates):,.0f} | {min(rates):,}-{max(rates):,} |")
print()
print(f"node / wrk: {statistics.median(node) / statistics.median(wrk):.0%} "
      "(target >= 50%); per round: " +
      ", ".join(f"{n / w:.0%}" for n, w in zip(node, wrk)))
PY
