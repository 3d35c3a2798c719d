#!/usr/bin/env bash
# The first README command: install, build the package, run the demo on
# http://127.0.0.1:8787 (offline: every provider is the local sandbox).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-pkg.sh
exec node www/server.mjs "$@"
