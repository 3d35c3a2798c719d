#!/usr/bin/env bash
# The packed package against oidc-provider (an authorization server nobody
# here wrote) on 127.0.0.1: every grant and the negative cases in Node, the
# happy path in headless Chromium. Offline once npm has installed.
set -euo pipefail
cd "$(dirname "$0")/.."

tarball=$(ls "$PWD"/target/pack/partner-oauth-*.tgz 2>/dev/null || true)
if [ -z "$tarball" ]; then
  mkdir -p target/pack
  (cd pkg && npm pack --silent --pack-destination ../target/pack >/dev/null)
  tarball=$(ls "$PWD"/target/pack/partner-oauth-*.tgz)
fi

cd tests/conformance
npm ci --no-audit --no-fund --loglevel=error
npm install --no-save --no-audit --no-fund --loglevel=error "$tarball"
# oidc-provider 9 warns that Node 20 is not its supported runtime; it works.
node --test node.test.mjs browser.test.mjs
