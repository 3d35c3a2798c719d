#!/usr/bin/env bash
# Builds the npm package into pkg/: release wasm, wasm-bindgen (web target:
# one build that browsers, bundlers, workerd and Node all load), wasm-opt -Oz,
# then pkg-template/ on top. Prints the shipped size.
set -euo pipefail
cd "$(dirname "$0")/.."

# Nightly's build-std with panic=immediate-abort drops every panic message
# and formatter from std (~11 KB gzip); our code has no panics (clippy
# denies them). Without nightly + rust-src, the stable build ships instead.
if cargo +nightly --version >/dev/null 2>&1 && rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'; then
  RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort --cfg sha2_backend_soft=\"compact\"" cargo +nightly build --release --lib \
    --target wasm32-unknown-unknown -Z build-std=std,panic_abort --target-dir target/nightly --quiet
  built=target/nightly/wasm32-unknown-unknown/release/partner_oauth.wasm
  echo "built with nightly build-std (panic=immediate-abort)"
else
  cargo build --release --lib --target wasm32-unknown-unknown --quiet
  built=target/wasm32-unknown-unknown/release/partner_oauth.wasm
  echo "built with stable (no nightly rust-src: panic messages stay in)"
fi
rm -rf pkg && mkdir -p pkg
wasm-bindgen --target web --out-dir pkg --out-name partner_oauth "$built"
scripts/node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/partner_oauth_bg.wasm -o pkg/partner_oauth_bg.wasm
cp -r pkg-template/. pkg/
# index.d.ts replaces wasm-bindgen's `any`-typed declarations.
rm -f pkg/partner_oauth.d.ts pkg/partner_oauth_bg.wasm.d.ts pkg/.gitignore
# The OAuthError class is a wasm-bindgen snippet under a hashed folder.
snippet=$(cd pkg && ls snippets/*/src/wasm/oauth_error.js)
sed -i "s|__OAUTH_ERROR__|./$snippet|" pkg/browser.js pkg/node.js pkg/workerd.js

wasm=pkg/partner_oauth_bg.wasm
glue=pkg/partner_oauth.js
printf 'wasm: %s bytes raw, %s gzip -9 | JS glue: %s bytes raw, %s gzip -9\n' \
  "$(wc -c <"$wasm")" "$(gzip -9c "$wasm" | wc -c)" "$(wc -c <"$glue")" "$(gzip -9c "$glue" | wc -c)"
