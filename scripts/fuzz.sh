#!/usr/bin/env bash
# Runs every fuzz target (or those named) for SECONDS each (default 60),
# seeded from fuzz/corpus/<target>/; new inputs go to target/fuzz-corpus/.
#   bash scripts/fuzz.sh 10              # a smoke run (scripts/test.sh sets the test command's seconds)
#   bash scripts/fuzz.sh 600 callback    # a long run of one target
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(json options state pending callback callback_diff start_diff token_response jwt url url_diff api_path json_diff)

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version 0.13.2
cargo +nightly fuzz build >/dev/null 2>&1 || cargo +nightly fuzz build
one() {
  local target=$1 out runs rate
  mkdir -p "target/fuzz-corpus/$target"
  out=$(cargo +nightly fuzz run "$target" "target/fuzz-corpus/$target" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 -max_len=8192 2>&1) || { echo "$out" | tail -40; echo "FUZZ FAILURE: $target"; return 1; }
  runs=$(echo "$out" | sed -n 's/^stat::number_of_executed_units: *//p')
  rate=$(echo "$out" | sed -n 's/^stat::average_exec_per_sec: *//p')
  printf 'fuzz %-15s %10s executions (%s/s), no crash\n' "$target" "$runs" "$rate"
}
lane() { for target in "$@"; do one "$target" || return 1; done; }
# Two lanes, one a core (CI has 2): each target still gets its SECONDS of a whole core.
odd=() even=() i=0
for target in "${targets[@]}"; do if (( i++ % 2 )); then odd+=("$target"); else even+=("$target"); fi; done
lane "${odd[@]}" >target/fuzz-lane.log 2>&1 &
other=$!
status=0
lane "${even[@]}" || status=1
wait $other || status=1
cat target/fuzz-lane.log
exit $status
