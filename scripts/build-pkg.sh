#!/usr/bin/env bash
# Builds the npm package into pkg/: the wasm (scripts/build-wasm.sh: release
# wasm, wasm-bindgen's web target that browsers, bundlers, workerd and Node
# all load, wasm-opt), then pkg-template/ on top; and the page build
# (`partner-oauth/page`) into pkg/page/. Prints the shipped sizes.
set -euo pipefail
cd "$(dirname "$0")/.."

rm -rf pkg && mkdir -p pkg
bash scripts/build-wasm.sh pkg
# The page build (no `server` feature): start flows and parse callbacks only,
# through raw exports and hand-written glue (src/wasm/raw.rs, raw.js).
bash scripts/build-wasm.sh pkg/page --raw --no-default-features
cp -r pkg-template/. pkg/
# The user-facing README (README.md without its repo-only regions) and the
# files it links to.
node scripts/package-readme.mjs pkg
# partner-oauth/sandbox: the provider emulator, for users' own tests (Node).
mkdir -p pkg/sandbox
cp www/sandbox/server.mjs www/sandbox/providers.mjs www/sandbox/cli.mjs www/sandbox/index.d.ts pkg/sandbox/
# The OAuthError class is a wasm-bindgen snippet under a hashed folder; the
# page build's glue (raw.js, which imports its neighbours in src/wasm/)
# imports the full build's snippets (the same files), so both throw the same
# class.
snippet=$(cd pkg && ls snippets/*/src/wasm/oauth_error.js)
# options.js (the options' reader) is called from JS in both builds (io.js,
# raw.js), not from the wasm, so wasm-bindgen does not write it: it goes
# beside oauth_error.js, which it imports.
cp src/wasm/options.js "pkg/$(dirname "$snippet")/options.js"
sed -i -E "s#(from ['\"])\./([a-z_]+\.js['\"])#\1../$(dirname "$snippet")/\2#g" pkg/page/partner_oauth.js
for imported in $(grep -oE "\.\./snippets/[^'\"]+" pkg/page/partner_oauth.js); do
  test -f "pkg/page/$imported" || { echo "page build imports a missing snippet: $imported" >&2; exit 1; }
done
sed -i "s|__OAUTH_ERROR__|./$snippet|" pkg/browser.js pkg/node.js pkg/workerd.js pkg/page.js pkg/page-node.js pkg/io.js pkg/refresher.js
sed -i "s|__OPTIONS__|./$(dirname "$snippet")/options.js|; s|__RESULTS__|./$(dirname "$snippet")/results.js|" pkg/io.js
# partner-oauth/worker (the Durable Object connections) and its sealing.
sed -i "s|__OAUTH_ERROR__|./$snippet|" pkg/worker*.js pkg/sealed.js

wasm=pkg/partner_oauth_bg.wasm
glue=pkg/partner_oauth.js
printf 'wasm: %s bytes raw, %s gzip -9 | JS glue: %s bytes raw, %s gzip -9\n' \
  "$(wc -c <"$wasm")" "$(gzip -9c "$wasm" | wc -c)" "$(wc -c <"$glue")" "$(gzip -9c "$glue" | wc -c)"
printf 'page build: wasm %s bytes raw, %s gzip -9 | JS glue %s gzip -9\n' \
  "$(wc -c <pkg/page/partner_oauth_bg.wasm)" "$(gzip -9c pkg/page/partner_oauth_bg.wasm | wc -c)" "$(gzip -9c pkg/page/partner_oauth.js | wc -c)"
