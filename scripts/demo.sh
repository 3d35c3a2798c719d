#!/usr/bin/env bash
# The first README command: install, build the package, run the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-pkg.sh
node www/print-urls.mjs
