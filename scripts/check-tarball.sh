#!/usr/bin/env bash
# The `npm pack` tarball checked as a registry user meets it: publint, attw
# (@arethetypeswrong/cli) for every entry, and its file list against
# tests/tarball/files.txt. After adding or removing a shipped file:
#   bash scripts/check-tarball.sh --update   # rewrites files.txt; commit it
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

echo "sizes"
# The shipped modules' gzip -9 sizes may grow at most to tests/tarball/sizes.txt
# (each 2 % above the size it held when last written): growth is a decision,
# made with --update and a commit, not an accident.
sizes=tests/tarball/sizes.txt
measure() {
  for file in partner_oauth_bg.wasm page/partner_oauth_bg.wasm partner_oauth.js page/partner_oauth.js io.js worker.js; do
    printf '%s %s\n' "$file" "$(gzip -9c "pkg/$file" | wc -c)"
  done
}
if [ "${1:-}" = "--update" ]; then
  measure | awk '{ printf "%s %d\n", $1, int($2 * 1.02) }' >"$sizes"
  echo "wrote $sizes"
else
  measure | while read -r file bytes; do
    limit=$(awk -v f="$file" '$1 == f { print $2 }' "$sizes")
    if [ -z "$limit" ] || [ "$bytes" -gt "$limit" ]; then
      echo "$file: $bytes bytes gzip, over its limit of ${limit:-none} ($sizes; bash scripts/check-tarball.sh --update after a deliberate change)" >&2
      exit 1
    fi
    echo "$file: $bytes bytes gzip (limit $limit)"
  done
fi
