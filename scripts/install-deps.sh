#!/usr/bin/env bash
# Installs the Debian 12 packages a build needs, only those that are missing.
#
#   scripts/install-deps.sh main    # the library and lgraph (scripts/main.sh)
#   scripts/install-deps.sh         # everything: tests, sanitizers, fuzzers, benchmarks
set -euo pipefail

packages=(cmake ninja-build g++ libboost1.81-dev nlohmann-json3-dev libspdlog-dev libcli11-dev
          libhowardhinnant-date-dev tzdata libsqlite3-dev libssl-dev libyaml-cpp-dev libpq-dev
          libjemalloc-dev)
if [[ "${1:-all}" != main ]]; then
  packages+=(clang clang-format libclang-rt-14-dev python3 doctest-dev libbenchmark-dev libtbb-dev
             gdb)
  # PostgreSQL's server for the postgres node's tests and bench (scripts/postgres_server.sh
  # makes throw-away clusters with its initdb and pg_ctl, and a certificate for TLS with
  # openssl; pgbench comes with the server).
  packages+=(postgresql-15 openssl)
  # promtool checks the service's /metrics (tests/cli/test_lgraph_serve.cpp); wrk drives the
  # service's load test (bench/run_serve.sh).
  packages+=(prometheus wrk)
  # Node.js runs the trace-viewer check (tests/trace-viewer); Debian's when none is there.
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    packages+=(nodejs npm)
  fi
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
