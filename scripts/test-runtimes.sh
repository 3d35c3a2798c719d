#!/usr/bin/env bash
# The packed tarball in Deno and Bun: tests/runtimes/ installs the runtimes
# from npm (`deno`, `bun`), then the tarball as a user would, and runs the
# grant suite (grants.mjs) in each against www/sandbox/. The same suite runs
# in Node (tests/consumers/node/), and in workerd and Chromium
# (tests/consumers/redirects/, in the Miniflare and browser it starts).
set -euo pipefail
cd "$(dirname "$0")/.."
tarball=$(bash scripts/pack.sh)

cd tests/runtimes
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm install --no-save --no-audit --no-fund --loglevel=error "$tarball"
node --test runtimes.test.mjs
