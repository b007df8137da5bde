#!/usr/bin/env bash
# The main job: builds lgraph (release) and runs graphs/order_flow.json on a sample order,
# printing the final context on stdout and the per-node profile on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh main
cmake --preset release >/dev/null
cmake --build --preset release --target lgraph
./build/release/cli/lgraph run graphs/order_flow.json --input @graphs/inputs/order_flow.json \
  --profile
