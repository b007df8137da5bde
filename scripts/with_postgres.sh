#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL server up, its connection string in
# LG_TEST_POSTGRES (what the postgres node's tests read), and stops the server afterwards.
# With LG_TEST_POSTGRES already set, runs the command against that server instead.
#
#   scripts/with_postgres.sh build/debug/tests/lg_tests -ts="postgres node"
#   scripts/with_postgres.sh ctest --preset debug -R postgres
set -euo pipefail

if (($# == 0)); then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi
if [[ -n "${LG_TEST_POSTGRES:-}" ]]; then
  exec "$@"
fi

scripts="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="$(mktemp -d -t lg_postgres.XXXXXX)"
cleanup() {
  "$scripts/postgres_server.sh" stop "$dir" || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

LG_TEST_POSTGRES="$("$scripts/postgres_server.sh" start "$dir")"
export LG_TEST_POSTGRES
status=0
"$@" || status=$?
exit "$status"
