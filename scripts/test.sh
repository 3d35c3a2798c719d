#!/usr/bin/env bash
# The second README command: every check CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$*" "$(( $(date +%s) - start ))"; }

step "setup"
bash scripts/setup.sh
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}

step "rustfmt"
cargo fmt --check
step "clippy, native"
cargo clippy --all-targets --quiet -- -D warnings
step "clippy, wasm32"
cargo clippy --all-targets --target wasm32-unknown-unknown --quiet -- -D warnings
step "clippy, wasm32 page build (no server feature)"
cargo clippy --lib --no-default-features --target wasm32-unknown-unknown --quiet -- -D warnings
step "clippy, wasm32 without JWT verification (the bench's build for its share)"
cargo clippy --lib --no-default-features --features server --target wasm32-unknown-unknown --quiet -- -D warnings

step "native tests"
cargo test --quiet
# wasm-pack finds wasm-bindgen and chromedriver on PATH and downloads
# nothing (it only asks the Rust registry, once a day, whether it is the newest).
step "wasm tests: headless Chromium (wasm-pack test --headless --chrome; tests/wasm_browser.rs)"
wasm-pack test --headless --chrome
step "wasm tests: Node (wasm-pack test --node; tests/wasm_node.rs)"
wasm-pack test --node

step "fuzz smoke: every parser target for 10 s (libFuzzer, nightly)"
bash scripts/fuzz.sh 10

step "package build (full and page builds, wasm-opt) and smoke tests of both in Node"
bash scripts/build-pkg.sh
# Two files at a time (node --test's default on 2 cores is one); each file is its own process.
node --test --test-concurrency=2 tests/pkg/*.test.mjs tests/node/*.test.mjs

step "API reference: typedoc (--treatWarningsAsErrors, every export documented) and cargo doc (-D warnings), into target/ (scripts/docs.sh)"
bash scripts/docs.sh

step "the npm pack tarball as a registry user meets it: publint, attw, file list (tests/tarball/files.txt)"
bash scripts/check-tarball.sh

step "the packed package in its three homes: Node, workerd (Miniflare), Chromium (Vite + Playwright), the grant suite in all three; the demo and the Worker starter; TypeScript types"
bash scripts/test-consumers.sh

step "the packed package in Deno and Bun (from npm): the grant suite against the sandbox"
bash scripts/test-runtimes.sh

step "conformance: the packed package against oidc-provider, in Node and Chromium"
bash scripts/test-conformance.sh

step "all tests passed"
