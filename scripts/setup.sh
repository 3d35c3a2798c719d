#!/usr/bin/env bash
# Installs what the demo and the tests need, skipping what is already there:
# the wasm32 target, wasm-bindgen-cli pinned to Cargo.lock's wasm-bindgen,
# wasm-pack, Debian's Chromium + chromedriver, Node, and the npm tooling in scripts/.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The CLI must match the library's wasm-bindgen exactly (Cargo.lock).
want=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  log "installing wasm-bindgen-cli $want (about 3 minutes)"
  # Not --locked: its lockfile pins a crate version the registry does not serve.
  cargo install wasm-bindgen-cli --version "$want"
fi

# wasm-pack runs the wasm tests (`wasm-pack test`). Not the npm package: it
# downloads a binary at install time, which fails offline.
if ! command -v wasm-pack >/dev/null; then
  log "installing wasm-pack (about 2.5 minutes)"
  cargo install wasm-pack --locked
fi

# Optional: nightly's std sources make the shipped module ~11 KB gzip smaller
# (scripts/build-pkg.sh); everything works without them.
if cargo +nightly --version >/dev/null 2>&1 && ! rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'; then
  log "adding rust-src to the nightly toolchain (optional, for a smaller build)"
  rustup component add rust-src --toolchain nightly || echo "rust-src unavailable: the stable build will ship"
fi

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
command -v node >/dev/null || need_apt+=(nodejs npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing ${need_apt[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

if [ ! -x scripts/node_modules/.bin/wasm-opt ] || [ ! -x scripts/node_modules/.bin/typedoc ]; then
  log "installing npm tooling (binaryen's wasm-opt, typedoc)"
  npm install --prefix scripts --no-audit --no-fund --loglevel=error
fi
