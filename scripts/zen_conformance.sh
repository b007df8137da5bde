#!/usr/bin/env bash
# Runs ZEN's published expression cases (core/expression/tests/data/{standard,unary,date}.csv of
# a gorules/zen checkout) through lg::zen::Expression and prints every case that differs, then
# one summary line per file. Dates without a zone are read in UTC, as ZEN's own runner sets TZ.
#   scripts/zen_conformance.sh PATH/TO/zen
# Builds lg_zen_cases in the ci preset first.
set -euo pipefail
cd "$(dirname "$0")/.."

if (($# != 1)) || [[ ! -d "$1/core/expression/tests/data" ]]; then
  echo "usage: scripts/zen_conformance.sh PATH/TO/zen  (a checkout of github.com/gorules/zen)" >&2
  exit 2
fi
data=$1/core/expression/tests/data

scripts/install-deps.sh
cmake --preset ci >/dev/null
cmake --build --preset ci --target lg_zen_cases >/dev/null
TZ=UTC build/ci/tests/lg_zen_cases "$data/standard.csv" "$data/unary.csv" "$data/date.csv"
