#!/usr/bin/env bash
# Builds the HTML API reference into target/docs/ (git-ignored, never
# committed): typedoc for the npm package's entry points, cargo doc for the
# Rust crate. Any warning fails: an undocumented export, a broken link.
#
#   bash scripts/docs.sh    → target/docs/npm/index.html, target/doc/partner_oauth/index.html
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x scripts/node_modules/.bin/typedoc ]; then
  npm install --prefix scripts --no-audit --no-fund --loglevel=error
fi

# The type files laid out as the package ships them (sandbox/index.d.ts
# imports ../index.js), without building the wasm.
src=target/docs/src
rm -rf "$src" target/docs/npm
mkdir -p "$src/sandbox"
cp pkg-template/index.d.ts pkg-template/page.d.ts pkg-template/worker.d.ts pkg-template/lifecycle.d.ts "$src/"
cp www/sandbox/index.d.ts "$src/sandbox/"
# The package's README, as the tarball ships it (with the files it links to).
node scripts/package-readme.mjs "$src"
cat >"$src/tsconfig.json" <<'EOF'
{
  "compilerOptions": {
    "target": "ES2022", "module": "ESNext", "moduleResolution": "Bundler",
    "lib": ["ES2022", "DOM"], "strict": true, "noEmit": true, "types": []
  },
  "include": ["*.d.ts", "sandbox/*.d.ts"]
}
EOF

echo "== typedoc: the npm API"
# Every export needs a comment (--validation.notDocumented, for the kinds
# below); members of an interface may go without when their name says it.
scripts/node_modules/.bin/typedoc \
  --tsconfig "$src/tsconfig.json" \
  --entryPoints "$src/index.d.ts" "$src/page.d.ts" "$src/worker.d.ts" "$src/lifecycle.d.ts" "$src/sandbox/index.d.ts" \
  --name partner-oauth --readme "$src/README.md" \
  --highlightLanguages sh --highlightLanguages bash --highlightLanguages javascript --highlightLanguages typescript \
  --highlightLanguages json --highlightLanguages toml --highlightLanguages rust --highlightLanguages sql \
  --validation.notDocumented --validation.invalidLink --validation.notExported \
  --requiredToBeDocumented Class --requiredToBeDocumented Function --requiredToBeDocumented Interface \
  --requiredToBeDocumented TypeAlias --requiredToBeDocumented Variable \
  --excludeExternals --treatWarningsAsErrors --disableSources --logLevel Warn \
  --out target/docs/npm

echo "== cargo doc: the Rust crate"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet
echo "docs: target/docs/npm/index.html, target/doc/partner_oauth/index.html"
