#!/usr/bin/env bash
# Regenerates the README's demo screenshots in www/screenshots/: a TropiPay
# card in each state (active, refreshing, backoff, exhausted, disconnected)
# and the whole page, taken by the demo's Chromium test as it runs. Needs
# the packed package installed in tests/consumers (scripts/test-consumers.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
test -d tests/consumers/node_modules/partner-oauth || { echo "run bash scripts/test-consumers.sh once first" >&2; exit 1; }
DEMO_SCREENSHOTS="$PWD/www/screenshots" node --test tests/consumers/demo/
ls -l www/screenshots
