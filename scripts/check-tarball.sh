#!/usr/bin/env bash
# The `npm pack` tarball checked as a registry user meets it: publint, attw
# (@arethetypeswrong/cli) for every entry, and its file list against
# tests/tarball/files.txt, the README's relative links inside it, and each
# module's gzip size against tests/tarball/sizes.txt. After a deliberate change:
#   bash scripts/check-tarball.sh --update   # rewrites files.txt, sizes.txt and the README's size figures; commit them
set -euo pipefail
cd "$(dirname "$0")/.."
tarball=$(bash scripts/pack.sh)
list=tests/tarball/files.txt

cd tests/tarball
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
cd ../..

echo "publint"
tests/tarball/node_modules/.bin/publint run --strict "$tarball"
# cjs-resolves-to-esm: the package is ESM only (top-level await instantiates
# the wasm), so require() from CommonJS cannot load it; README says so.
echo "attw"
tests/tarball/node_modules/.bin/attw --no-color --no-definitely-typed --ignore-rules cjs-resolves-to-esm --format table-flipped "$tarball"

echo "file list"
# wasm-bindgen names the snippets folder with a hash of the crate's name and
# version: listed as <hash>, so a version bump is not a file-list change.
actual=$(tar -tzf "$tarball" | sed -E 's#^package/##; s#^(snippets/partner-oauth-)[0-9a-f]{16}/#\1<hash>/#' | LC_ALL=C sort)
if [ "${1:-}" = "--update" ]; then
  printf '%s\n' "$actual" >"$list"
  echo "wrote $list ($(wc -l <"$list") files)"
elif ! diff -u "$list" <(printf '%s\n' "$actual"); then
  echo "The tarball's files differ from $list (- listed, + packed)." >&2
  echo "If the change is intended: bash scripts/check-tarball.sh --update, and commit $list." >&2
  exit 1
else
  echo "$(wc -l <"$list") files, as $list lists"
fi

echo "README links"
# The README a registry user reads links and shows only what the tarball holds.
tar -xzOf "$tarball" package/README.md >target/pack/README.md
node --input-type=module -e '
  import { relativeLinks } from "./scripts/package-readme.mjs";
  import { readFileSync } from "node:fs";
  const files = new Set(process.argv[1].split("\n").map((f) => f.replace(/^package\//, "")));
  const readme = readFileSync("target/pack/README.md", "utf8");
  if (readme.length < 10000) throw new Error("the tarball README is a stub, not the user-facing README");
  const missing = relativeLinks(readme).filter((link) => !files.has(link.replace(/^\.\//, "")));
  if (missing.length) { console.error(`the tarball README links to files it does not ship: ${missing.join(", ")}`); process.exit(1); }
  console.log(`${relativeLinks(readme).length} relative links, each to a shipped file`);
' "$(tar -tzf "$tarball")"

echo "sizes"
# tests/tarball/sizes.txt holds the shipped modules' gzip -9 sizes when last
# measured; each may grow at most 2 % over it: growth is a decision, made
# with --update and a commit, not an accident. The README's size figures are
# generated from this file (scripts/figures.mjs), so --update rewrites them.
sizes=tests/tarball/sizes.txt
measure() {
  for file in partner_oauth_bg.wasm page/partner_oauth_bg.wasm partner_oauth.js page/partner_oauth.js io.js refresher.js \
    worker.js worker-routes.js worker-rpc.js worker-connection.js worker-refresh.js worker-call.js worker-store.js \
    worker-consent.js worker-index.js worker-rewrap.js worker-request.js worker-budget.js worker-metrics.js lifecycle.js \
    lifecycle-timing.js lifecycle-call.js lifecycle-forecast.js lifecycle-decisions.js; do
    printf '%s %s\n' "$file" "$(gzip -9c "pkg/$file" | wc -c)"
  done
}
if [ "${1:-}" = "--update" ]; then
  measure >"$sizes"
  echo "wrote $sizes"
  node scripts/figures.mjs --update
else
  measure | while read -r file bytes; do
    measured=$(awk -v f="$file" '$1 == f { print $2 }' "$sizes")
    limit=${measured:+$(( measured * 102 / 100 ))}
    if [ -z "$limit" ] || [ "$bytes" -gt "$limit" ]; then
      echo "$file: $bytes bytes gzip, over its limit of ${limit:-none} (2 % over $sizes; bash scripts/check-tarball.sh --update after a deliberate change)" >&2
      exit 1
    fi
    echo "$file: $bytes bytes gzip (measured ${measured}, limit $limit)"
  done
fi
