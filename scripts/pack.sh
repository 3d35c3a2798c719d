#!/usr/bin/env bash
# Packs pkg/ (scripts/build-pkg.sh) with `npm pack` into target/pack/ and
# prints the tarball's absolute path: the file a registry user downloads.
set -euo pipefail
cd "$(dirname "$0")/.."
test -f pkg/package.json || { echo "no pkg/: run scripts/build-pkg.sh first" >&2; exit 1; }
mkdir -p target/pack
rm -f target/pack/*.tgz
(cd pkg && npm pack --silent --pack-destination ../target/pack >/dev/null)
ls "$PWD"/target/pack/partner-oauth-*.tgz
