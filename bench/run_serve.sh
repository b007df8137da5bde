#!/usr/bin/env bash
# Builds lgraph (release preset) and load-tests `lgraph serve` with wrk (Debian's wrk) on
# loopback: POST /v1/graphs/pipeline/execute (bench/serve/pipeline.json, 5 nodes) and GET
# /healthz of the same server (the floor: HTTP alone), at 1, 16 and 64 connections, ROUNDS
# rounds each, alternating; then a soak of SOAK_SECONDS at 64 connections: error responses,
# the server's RSS after warm-up and at the end, and the context pool's reuse. Prints markdown,
# medians with their spread (min-max), the machine named. The server runs on SERVER_THREADS
# threads (default 2); wrk's two threads share the machine with it. Run it on a quiet machine.
#
#   bench/run_serve.sh                      # 3 rounds of 5 s, a 30 s soak
#   ROUNDS=1 SECONDS_EACH=2 SOAK_SECONDS=5 bench/run_serve.sh
#   LGRAPH=build/ci/cli/lgraph bench/run_serve.sh   # an lgraph built already (a release one)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
rounds="${ROUNDS:-3}"
seconds="${SECONDS_EACH:-5}"
soak="${SOAK_SECONDS:-30}"
server_threads="${SERVER_THREADS:-2}"
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null

lgraph="${LGRAPH:-}"
if [[ -z $lgraph ]]; then
  cmake --preset release >/dev/null
  cmake --build --preset release --target lgraph
  lgraph=build/release/cli/lgraph
fi

coproc server { exec "$lgraph" serve --graphs bench/serve --port 0 --threads "$server_threads" \
  --no-watch; }
server_pid=$server_PID
read -r line <&"${server[0]}"
url="http://${line#listening on }"
trap 'kill -TERM "$server_pid"; wait "$server_pid" || true' EXIT

results=$(mktemp)
# One wrk run: prints "endpoint connections requests/s p50 p99 errors".
measure() {
  local endpoint=$1 connections=$2 duration=$3 threads=2 script=() path=/healthz
  ((connections < 2)) && threads=1
  if [[ $endpoint == pipeline ]]; then
    script=(-s bench/serve/post_order.lua)
    path=/v1/graphs/pipeline/execute
  fi
  wrk -t"$threads" -c"$connections" -d"$duration" --latency "${script[@]}" "$url$path" |
    awk -v e="$endpoint" -v c="$connections" '
      function us(v) { if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return v * 1000;
                       if (v ~ /s$/) return v * 1000000; return v }
      /^ +50%/ { p50 = us($2) } /^ +99%/ { p99 = us($2) }
      /^Requests\/sec:/ { rate = int($2) }
      /Non-2xx or 3xx responses:/ { errors += $5 }
      /Socket errors:/ { errors += $4 + $6 + $8 + $10 }
      END { print e, c, rate, p50, p99, errors + 0 }'
}
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status"; }
reuse() {
  curl -s --noproxy 127.0.0.1 "$url/metrics" | awk '/^lgraph_context_pool_reuse_ratio / {printf "%.4f", $2 * 100}'
}

measure pipeline 64 2s >/dev/null  # warm-up: pools and caches filled
for ((i = 0; i < rounds; i++)); do
  for connections in 1 16 64; do
    measure pipeline "$connections" "${seconds}s" >>"$results"
    measure healthz "$connections" "${seconds}s" >>"$results"
  done
done
rss_before=$(rss_kb)
soak_line=$(measure pipeline 64 "${soak}s")
rss_after=$(rss_kb)
reuse_rate=$(reuse)

echo
echo "Machine: $(lscpu | grep 'Model name' | sed 's/.*:[[:space:]]*//'), $(nproc) CPUs"
echo "Compiler: $(c++ --version | head -n 1); $(wrk -v 2>&1 | head -n 1)"
echo "Server: lgraph serve --threads $server_threads (release); wrk on the same machine"
echo
python3 - "$results" "$soak_line" "$rss_before" "$rss_after" "$reuse_rate" "$soak" <<'PY'
import statistics
import sys

rows = {}
for line in open(sys.argv[1]):
    endpoint, connections, rate, p50, p99, errors = line.split()
    rows.setdefault((endpoint, int(connections)), []).append(
        (int(rate), float(p50), float(p99), int(errors)))
rounds = len(next(iter(rows.values())))
print(f"Requests per second and latency over kept-alive connections, loopback; {rounds} rounds, "
      "alternating; medians (min-max)")
print()
print("| endpoint | connections | requests/s | min-max | p50 us | p99 us | error responses |")
print("|---|---:|---:|---:|---:|---:|---:|")
names = {"pipeline": "POST 5-node graph", "healthz": "GET /healthz (floor)"}
for connections in (1, 16, 64):
    for endpoint in ("pipeline", "healthz"):
        runs = rows[(endpoint, connections)]
        rates = [r[0] for r in runs]
        print(f"| {names[endpoint]} | {connections} | {statistics.median(rates):,.0f} | "
              f"{min(rates):,}-{max(rates):,} | {statistics.median(r[1] for r in runs):,.0f} | "
              f"{statistics.median(r[2] for r in runs):,.0f} | {sum(r[3] for r in runs)} |")
graph = statistics.median(r[0] for r in rows[("pipeline", 64)])
floor = statistics.median(r[0] for r in rows[("healthz", 64)])
print()
print(f"graph / floor at 64 connections: {graph / floor:.0%} (target >= 60%)")
_, _, rate, p50, p99, errors = sys.argv[2].split()
print(f"soak, {sys.argv[6]} s at 64 connections: {int(rate):,} requests/s, p99 {float(p99):,.0f} us, "
      f"{errors} error responses; server RSS {int(sys.argv[3]) // 1024} MiB after warm-up, "
      f"{int(sys.argv[4]) // 1024} MiB at the end; context pool reuse {sys.argv[5]}%")
PY
rm -f "$results"
