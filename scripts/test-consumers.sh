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
# meanwhile: they run beside the rest, all at once (~4.5 min one at a time, ~1.5 min so).
slow="worker/review80.test.mjs worker/review93.test.mjs worker/review94.test.mjs"
node --test --test-concurrency=4 $slow >../../target/slow-tests.log 2>&1 &
slow_pid=$!
# These hold real-time rates and windows (the provider's 50 reads/s, a re-encryption before a deadline, review98 S1's
# alarm due at 1.5 s, which ran at 3.3 s beside the rest in one CI run): they run last, one at a time, with nothing of
# the rest beside them.
quiet="worker/budget.test.mjs worker/worker.test.mjs worker/review98.test.mjs"
rest=$(find node worker browser demo redirects sandbox worker-app/test -name node_modules -prune -o -name '*.test.mjs' -print | sort | grep -vxF "$(tr ' ' '\n' <<<"$slow $quiet")")
status=0
# The rest three files at a time (node --test's default on 2 cores is one): most of them wait on workerd, timers or
# a browser (the whole step used 172 s of CPU in 478 s, 2026-12-06).
node --test --test-concurrency=3 $rest || status=$?
node --test $quiet || status=$?
wait $slow_pid || status=$?
echo "== the tests that wait out a reservation (run beside the rest): $slow"
cat ../../target/slow-tests.log
exit $status
