#!/usr/bin/env bash
# Builds the package (and the full build without JWT verification, for its
# share), installs the JS libraries we compare with (bench-only dev
# dependencies), and prints one table plus issue 19's targets, pass or fail.
# Appends the run to benches/results.json. Takes about 4 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-pkg.sh
bash scripts/build-wasm.sh target/bench/no-jwt --no-default-features --features server
npm ci --prefix benches --no-audit --no-fund --loglevel=error
node benches/run.mjs
