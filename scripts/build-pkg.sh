#!/usr/bin/env bash
# Builds the npm package into pkg/: release wasm, wasm-bindgen (web target:
# one build that browsers, bundlers, workerd and Node all load), wasm-opt -Oz,
# then pkg-template/ on top; and the page build (`partner-oauth/page`) into
# pkg/page/. Prints the shipped sizes.
set -euo pipefail
cd "$(dirname "$0")/.."

# Nightly's build-std with panic=immediate-abort drops every panic message
# and formatter from std (~11 KB gzip); our code has no panics (clippy
# denies them). Without nightly + rust-src, the stable build ships instead.
#
# build_wasm OUT_DIR [cargo flags]: release wasm → wasm-bindgen → wasm-opt.
build_wasm() {
  local out=$1
  shift
  if cargo +nightly --version >/dev/null 2>&1 && rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'; then
    RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort --cfg sha2_backend_soft=\"compact\"" cargo +nightly build --release --lib \
      --target wasm32-unknown-unknown -Z build-std=std,panic_abort --target-dir target/nightly --quiet "$@"
    built=target/nightly/wasm32-unknown-unknown/release/partner_oauth.wasm
    echo "$out: built with nightly build-std (panic=immediate-abort)"
  else
    cargo build --release --lib --target wasm32-unknown-unknown --quiet "$@"
    built=target/wasm32-unknown-unknown/release/partner_oauth.wasm
    echo "$out: built with stable (no nightly rust-src: panic messages stay in)"
  fi
  wasm-bindgen --target web --out-dir "$out" --out-name partner_oauth "$built"
  scripts/node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out/partner_oauth_bg.wasm" -o "$out/partner_oauth_bg.wasm"
  rm -f "$out/partner_oauth.d.ts" "$out/partner_oauth_bg.wasm.d.ts" "$out/.gitignore"
}

rm -rf pkg && mkdir -p pkg
build_wasm pkg
# The page build (no `server` feature): start flows and parse callbacks only.
build_wasm pkg/page --no-default-features
cp -r pkg-template/. pkg/
# partner-oauth/sandbox: the provider emulator, for users' own tests (Node).
mkdir -p pkg/sandbox
cp www/sandbox/server.mjs www/sandbox/providers.mjs www/sandbox/cli.mjs www/sandbox/index.d.ts pkg/sandbox/
# The OAuthError class is a wasm-bindgen snippet under a hashed folder; the
# page build imports the full build's snippets (the same files), so both
# throw the same class.
snippet=$(cd pkg && ls snippets/*/src/wasm/oauth_error.js)
rm -r pkg/page/snippets
sed -i -E "s#(['\"])\./snippets/#\1../snippets/#g" pkg/page/partner_oauth.js
for imported in $(grep -oE "\.\./snippets/[^'\"]+" pkg/page/partner_oauth.js); do
  test -f "pkg/page/$imported" || { echo "page build imports a missing snippet: $imported" >&2; exit 1; }
done
sed -i "s|__OAUTH_ERROR__|./$snippet|" pkg/browser.js pkg/node.js pkg/workerd.js pkg/page.js pkg/io.js
# partner-oauth/worker (the Durable Object connections) and its sealing.
sed -i "s|__OAUTH_ERROR__|./$snippet|" pkg/worker.js pkg/sealed.js

wasm=pkg/partner_oauth_bg.wasm
glue=pkg/partner_oauth.js
printf 'wasm: %s bytes raw, %s gzip -9 | JS glue: %s bytes raw, %s gzip -9\n' \
  "$(wc -c <"$wasm")" "$(gzip -9c "$wasm" | wc -c)" "$(wc -c <"$glue")" "$(gzip -9c "$glue" | wc -c)"
printf 'page build: wasm %s bytes raw, %s gzip -9 | JS glue %s gzip -9\n' \
  "$(wc -c <pkg/page/partner_oauth_bg.wasm)" "$(gzip -9c pkg/page/partner_oauth_bg.wasm | wc -c)" "$(gzip -9c pkg/page/partner_oauth.js | wc -c)"
