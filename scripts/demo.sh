#!/usr/bin/env bash
# The first README command: install, build the package, run the demo on
# http://127.0.0.1:8787 (offline: every provider is the local sandbox). The
# demo's back end is a Worker on partner-oauth/worker, in workerd (Miniflare).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Rebuilt only when a source of the package is newer than the last build:
# after the first run the demo is up in seconds.
stale=$(find src pkg-template www/sandbox Cargo.toml Cargo.lock README.md PROVIDERS.md SECURITY.md \
  scripts/build-pkg.sh scripts/build-wasm.sh scripts/package-readme.mjs -newer pkg/package.json -print -quit 2>/dev/null || echo missing)
if [ ! -f pkg/package.json ] || [ -n "$stale" ]; then
  bash scripts/build-pkg.sh
fi
# www/'s Miniflare and esbuild, once (again when the lock changes).
if [ ! -f www/node_modules/.package-lock.json ] || [ www/package-lock.json -nt www/node_modules/.package-lock.json ]; then
  (cd www && npm ci --no-audit --no-fund --loglevel=error)
fi
exec node www/demo.mjs "$@"
