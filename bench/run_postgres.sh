#!/usr/bin/env bash
# The postgres node beside pgbench on pgbench's select-only transaction (-S: a SELECT by primary
# key of pgbench_accounts with a random aid), against one throw-away server (scale 1: 100,000
# accounts) in the same run, the clients taking turns round after round so that the machine's
# moods fall on all of them. Prints a markdown table of the transactions per second: medians of
# the rounds with their spread (coefficient of variation), the machine named.
#   pgbench -S -c 8            pgbench's default simple protocol (parse and plan per query)
#   pgbench -S -M prepared -c 8 prepared statements, as the node uses
#   node                       bench_postgres: 8 connections, 64 executions in flight, 2 threads
#
#   bench/run_postgres.sh      # 5 rounds of 10 s each (BENCH_ROUNDS, BENCH_SECONDS)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
rounds="${BENCH_ROUNDS:-5}"
seconds="${BENCH_SECONDS:-10}"
bin="${LG_POSTGRES_BIN:-/usr/lib/postgresql/15/bin}"

cmake --preset bench >/dev/null
cmake --build --preset bench --target bench_postgres

dir="$(mktemp -d -t lg_bench_postgres.XXXXXX)"
cleanup() {
  scripts/postgres_server.sh stop "$dir" || true
  rm -rf "$dir"
}
trap cleanup EXIT
# Plain TCP for both: the figures are the clients', not TLS's.
url="$(scripts/postgres_server.sh start "$dir")?sslmode=disable"
"$bin/pgbench" -i -q -s 1 "$url" >/dev/null 2>&1

results="$dir/results.txt"
for ((round = 1; round <= rounds; round++)); do
  for client in simple prepared node; do
    case "$client" in
      simple | prepared)
        tps="$("$bin/pgbench" -S -M "$client" -c 8 -T "$seconds" -n "$url" 2>/dev/null |
          sed -nE 's/^tps = ([0-9.]+) .*without initial connection time.*/\1/p')"
        ;;
      node)
        tps="$(build/bench/bench/bench_postgres "$url" 100000 "$seconds" 64 8 |
          sed -nE 's/^tps ([0-9.]+)$/\1/p')"
        ;;
    esac
    echo "$client $tps" >>"$results"
    echo "round $round: $client $tps tps" >&2
  done
done

echo
echo "Machine: $(lscpu | grep 'Model name' | sed 's/.*:[[:space:]]*//'), $(nproc) CPUs"
echo "Server: $("$bin/postgres" --version), fsync off, on the same machine, plain TCP on 127.0.0.1"
echo
python3 - "$results" "$rounds" "$seconds" <<'PY'
import statistics
import sys

path, rounds, seconds = sys.argv[1], sys.argv[2], sys.argv[3]
tps = {}
for line in open(path):
    client, value = line.split()
    tps.setdefault(client, []).append(float(value))

def summary(client):
    values = tps.get(client, [])
    if not values:
        return None, None
    median = statistics.median(values)
    spread = statistics.pstdev(values) / statistics.mean(values) if len(values) > 1 else 0.0
    return median, spread

print(f"Transactions per second, medians of {rounds} rounds of {seconds} s (spread: coefficient "
      "of variation), the clients taking turns each round")
print()
print("| client | TPS | spread | node / this |")
print("|---|---:|---:|---:|")
node, _ = summary("node")
for client, what in [("simple", "`pgbench -S -c 8` (simple protocol, its default)"),
                     ("prepared", "`pgbench -S -M prepared -c 8`"),
                     ("node", "`postgres` node: 8 connections, 64 in flight, 2 threads")]:
    median, spread = summary(client)
    if median is None:
        print(f"| {what} | n/a | | |")
        continue
    ratio = f"{node / median * 100:.0f}%" if node and client != "node" else ""
    print(f"| {what} | {median:.0f} | {spread * 100:.1f}% | {ratio} |")
simple, _ = summary("simple")
if node and simple:
    print()
    print(f"The node gives {node / simple * 100:.0f}% of `pgbench -S -c 8`'s TPS (target >= 70%)")
PY
