#!/usr/bin/env bash
# Builds the package, installs the JS libraries we compare with (bench-only
# dev dependencies), and prints one table: size, cold start, throughput,
# native cost. Writes benches/results.json. Takes about 3 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-pkg.sh
npm ci --prefix benches --no-audit --no-fund --loglevel=error
node benches/run.mjs
