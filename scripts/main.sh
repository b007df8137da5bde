#!/usr/bin/env bash
# The main job: build (release) and run the guide's high-throughput example.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target example_high_throughput
./build/release/examples/example_high_throughput
