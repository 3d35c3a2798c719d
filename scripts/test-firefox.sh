#!/usr/bin/env bash
# The wasm browser tests (tests/wasm_browser.rs) in headless Firefox, outside
# the test command: on a fresh machine compiling geckodriver alone takes
# minutes (CONTRIBUTING.md has the measurement). Installs what is missing:
# Debian's firefox-esr, and geckodriver from the Rust registry (Mozilla
# publishes it there; Debian has none).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

if ! command -v firefox-esr >/dev/null; then
  echo "== installing firefox-esr from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends firefox-esr
fi
if ! command -v geckodriver >/dev/null; then
  echo "== installing geckodriver (about 3 minutes)"
  cargo install geckodriver
fi

firefox-esr --version
geckodriver --version | head -1
wasm-pack test --headless --firefox
