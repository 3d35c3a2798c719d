#!/usr/bin/env bash
# Packs pkg/ with `npm pack`, installs the tarball into tests/consumers as a
# user would, then runs the three homes' fixtures, the demo, the Worker
# starter (examples/worker-app, copied here) and the type-level test.
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p target/pack
rm -f target/pack/*.tgz
(cd pkg && npm pack --silent --pack-destination ../target/pack >/dev/null)
tarball=$(ls "$PWD"/target/pack/partner-oauth-*.tgz)

cd tests/consumers
npm ci --no-audit --no-fund --loglevel=error
npm install --no-save --no-audit --no-fund --loglevel=error "$tarball"

# The Worker starter as a user copies it, its partner-oauth the tarball.
rm -rf worker-app && mkdir worker-app
cp -r ../../examples/worker-app/src ../../examples/worker-app/test ../../examples/worker-app/wrangler.toml ../../examples/worker-app/dev.mjs worker-app/

echo "types: tsc --noEmit over a usage file"
npx tsc -p types
# These wait out a reservation's fixed 60 s margin (routes' RECORD_SLACK_MS) or an idle object's eviction, and idle
# meanwhile: they run beside the rest (node --test runs one file at a time on 2 cores), ~4 min less.
slow="worker/review80.test.mjs worker/review93.test.mjs worker/review94.test.mjs worker/review98.test.mjs"
node --test $slow >../../target/slow-tests.log 2>&1 &
slow_pid=$!
rest=$(find node worker browser demo redirects sandbox worker-app/test -name node_modules -prune -o -name '*.test.mjs' -print | sort | grep -vxF "$(tr ' ' '\n' <<<"$slow")")
status=0
node --test $rest || status=$?
wait $slow_pid || status=$?
echo "== the tests that wait out a reservation (run beside the rest): $slow"
cat ../../target/slow-tests.log
exit $status
