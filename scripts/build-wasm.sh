#!/usr/bin/env bash
# One wasm build: release wasm → wasm-bindgen (web target) → wasm-opt.
#   bash scripts/build-wasm.sh OUT_DIR [--raw] [cargo flags]
# --raw: the page build's raw exports (src/wasm/raw.rs), which need no
# wasm-bindgen step: their glue is the hand-written src/wasm/raw.js.
# Used by build-pkg.sh (the full and the page build) and by the bench (the
# full build without JWT verification, to measure its share).
set -euo pipefail
# No globbing: the wasm-opt flags below hold `*` patterns, passed unquoted.
set -f
cd "$(dirname "$0")/.."
out=$1
shift
raw=false
if [ "${1:-}" = --raw ]; then
  raw=true
  shift
fi

# Nightly's build-std with panic=immediate-abort drops every panic message
# and formatter from std (~11 KB gzip); our code has no panics (clippy
# denies them). Without nightly + rust-src, the stable build ships instead.
# -reference-types: wasm-bindgen then keeps JS values in a JS array instead
# of an externref table managed from the module (its table allocator,
# ~0.8 KB raw): page build −404 B gzip with the glue counted (issue 26).
# LLVM's inline threshold, measured per build (opt-level "z" alone gives
# 25; the curve is not smooth, so re-measure after large changes): the full
# build inlines less (10: wasm −463 B gzip; 0 to 35 scanned, 10 best), the
# page build more (50: −465 B; 25 to 150 scanned; 0 to 225 again on
# 2026-12-06, 48 and 50 still best, 45 and 55 +65; with the function
# order step, 2026-12-07: 46 to 50 give the same module, 44 +29 B, 52 +36,
# 56 +118). Each build has its own target dir: other RUSTFLAGS would
# rebuild the other's std each time.
# partner_oauth_nightly (full build only): the callback's hot functions at
# #[optimize(speed)] (src/lib.rs).
# The page build's MIR inliner threshold 150 (default 50; 25 and 75 no
# change, 100 −34 B, 150 and 250 −37): the same LLVM threshold stays best.
# With the order step: 250 the same module as 150, 100 +11 B.
flags=" -Cllvm-args=-inline-threshold=10 --cfg partner_oauth_nightly"
dir=target/nightly
# wasm-opt's own inlining: functions up to N bytes always inlined (-aimfs,
# default 2). Page build 6, near-identical functions merged first: page
# wasm -31 B gzip. With the order step (2026-12-07): 2 to 8 the same
# module, 12 +51 B, 20 +124; no merging -1 B, no --code-folding the same
# module, -Oz or -Os for -O3 +8, -O2 +11, -O4 +25, no --gufa +31 (each
# within a few bytes of the order search's noise, so left as they are).
# Full build 3 (4, 5 larger), with --gufa and a last
# --optimize-instructions (a search over pass orders, helper fb43): full
# wasm 58,395 -> 58,318 B gzip, start ~1 % faster, callback even
# (same-process A/B); merging similar functions too would save 40 B more
# but made start ~2 % slower than without. LLVM's threshold 10 still best
# with these (5: +258 B, 15: +920).
opt="-aimfs 3 --gufa"
last="--optimize-instructions"
# Page build: names kept until the last wasm-opt (-g, then stripped there)
# so that --no-inline can name `Message::error`: its 34 refusal sites call
# it with one constant, not `with` with three (page wasm -9 B gzip).
# Also `RawVec<u8>::new` (5 sites; its one 8-byte store inlined at each
# was larger than a call: page wasm -2 B gzip). One flag a name (binaryen
# takes one pattern a flag); each must name a function of the module,
# checked below (a renamed one would be inlined again without a word).
keep=
no_inline=
bound=
if $raw; then
  keep=-g
  flags=" -Cllvm-args=-inline-threshold=50 -Zinline-mir-threshold=150"
  dir=target/nightly-page
  no_inline="Message5error RawVechE3new"
  opt="--merge-similar-functions -O3 --gufa --code-folding"
  for name in $no_inline; do opt="--no-inline=*$name* $opt"; done
  opt="-aimfs 6 $opt"
  last="--optimize-instructions --reorder-locals"
fi
# `core` (built here by build-std) at opt-level 3: its small helpers
# (starts_with, eq_ignore_ascii_case, Chars, memchr...) are then inlined or
# gone, not kept as calls. Smaller (full wasm -523 B gzip, page -127 B) and
# a little faster (callbacks ~1.02x); alloc and compiler_builtins at 3 grew
# the full build (+441 B) for nothing. `std` at 3: full wasm -71 B, page -43.
# The shadow stack's pointer, exported (a link argument: `rustc`, not
# `build`, so that std's build is not redone): the glue puts it back when an
# export throws, which unwinds the wasm's frames without their epilogues
# (review 110 F3; unwind.js). The page build drops the export again, its
# exports resetting the pointer themselves (stack-reset.awk, which finds
# the global by the export).
sp=-Clink-arg=--export=__stack_pointer
# Page build: a 4 KiB stack (the link's default is 1 MiB), so that the
# stack's top, the frames wasm-opt folds to constants (each export starts
# at the top) and the static data, which the link puts above the stack,
# all sit below 8 KiB: two-byte address constants, not three or four (page
# wasm -65 B gzip). stack-depth.mjs bounds the page's deepest stack from
# the linked module and fails unless it leaves the first 1 KiB unused;
# an overflow would run below 0 and trap, never into the data.
$raw && sp="$sp -Clink-args=-zstack-size=4096"
if cargo +nightly --version >/dev/null 2>&1 && rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'; then
  RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none --cfg sha2_backend_soft=\"compact\" -Ctarget-feature=-reference-types$flags" cargo +nightly rustc --release --lib \
    --target wasm32-unknown-unknown -Z build-std=std,panic_abort --target-dir $dir --quiet \
    --config 'profile.release.package.core.opt-level=3' --config 'profile.release.package.std.opt-level=3' "$@" -- $sp
  built=$dir/wasm32-unknown-unknown/release/partner_oauth.wasm
  echo "$out: built with nightly build-std (panic=immediate-abort)"
else
  cargo rustc --release --lib --target wasm32-unknown-unknown --quiet "$@" -- $sp
  built=target/wasm32-unknown-unknown/release/partner_oauth.wasm
  echo "$out: built with stable (no nightly rust-src: panic messages stay in)"
fi
mkdir -p "$out"
features="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue"
if $raw; then
  # Each export puts the shadow stack pointer at its top first, in the
  # module (scripts/stack-reset.awk, on binaryen's text before wasm-opt),
  # where raw.js did at each of its entries through the pointer's export
  # (page -100 B gzip: no setter taken, no call, no export). The awk fails
  # the build if an export could run inside another (the module imports, or
  # calls or takes an exported function), and checks again after wasm-opt.
  scripts/node_modules/.bin/wasm-dis "$built" >"$built.wat"
  bound=$(node scripts/stack-depth.mjs "$built.wat")
  awk -f scripts/stack-reset.awk "$built.wat" >"$built.reset.wat"
  mv "$built.reset.wat" "$built.wat"
  for name in $no_inline; do
    grep -q "^ (func \$[^ ]*$name" "$built.wat" || { echo "--no-inline=*$name*: no function of that name" >&2; exit 1; }
  done
  scripts/node_modules/.bin/wasm-as $keep $features "$built.wat" -o "$out/partner_oauth_bg.wasm"
  rm "$built.wat"
  cp src/wasm/raw.js "$out/partner_oauth.js"
else
  wasm-bindgen --target web --out-dir "$out" --out-name partner_oauth "$built"
  # Each export puts the stack pointer back when it throws (src/wasm/unwind.js,
  # its comment lines left out).
  sed -i 's/^    wasm = instance\.exports;$/    wasm = unwindGuard(instance.exports);/' "$out/partner_oauth.js"
  grep -q 'unwindGuard(instance' "$out/partner_oauth.js" || { echo "wasm-bindgen's glue changed: unwind.js not applied" >&2; exit 1; }
  sed '/^ *\/\//d' src/wasm/unwind.js >>"$out/partner_oauth.js"
  # unwind.js wipes the stack's top after the exports of these names (review
  # 136), once no export runs: right while the glue reads no answer from the
  # stack after an export returns (it would with wasm-bindgen's return slots).
  grep -q 'wasm\.oauthclient_release(' "$out/partner_oauth.js" || { echo "wasm-bindgen's glue has no oauthclient_release: unwind.js' wipe would never run" >&2; exit 1; }
  grep -q 'wasm\.__wbg_oauthclient_free(' "$out/partner_oauth.js" || { echo "wasm-bindgen's glue has no __wbg_oauthclient_free: unwind.js' wipe would not follow a collected client" >&2; exit 1; }
  ! grep -q '__wbindgen_add_to_stack_pointer' "$out/partner_oauth.js" || { echo "wasm-bindgen's glue reads answers from the stack: unwind.js' wipe would zero them" >&2; exit 1; }
  # wasm-bindgen's `#[no_mangle]` statics __abort_handler and
  # __instance_terminated are exported for a glue that reads them only with
  # its --force-enable-abort-handler (or panic=unwind); ours reads neither
  # (checked), so their exports go, and wasm-opt then drops the two globals:
  # full wasm -55 B gzip. The stack pointer's export is renamed `g`, the
  # name unwind.js reads (full -25 B gzip); the sed must find it.
  ! grep -q '__abort_handler\|__instance_terminated' "$out/partner_oauth.js" ||
    { echo "wasm-bindgen's glue reads __abort_handler or __instance_terminated: keep their exports" >&2; exit 1; }
  scripts/node_modules/.bin/wasm-dis "$out/partner_oauth_bg.wasm" |
    sed '/^ (export "__abort_handler" (global /d; /^ (export "__instance_terminated" (global /d; s/^ (export "__stack_pointer" (global / (export "g" (global /' >"$out/partner_oauth_bg.wat"
  grep -q '^ (export "g" (global ' "$out/partner_oauth_bg.wat" || { echo "the full build's stack pointer export not found to rename" >&2; exit 1; }
  scripts/node_modules/.bin/wasm-as $features "$out/partner_oauth_bg.wat" -o "$out/partner_oauth_bg.wasm"
  rm "$out/partner_oauth_bg.wat"
fi
# --converge repeats -Oz while it still shrinks; the producers and
# target-features sections are metadata no runtime reads (stripped last, so
# wasm-opt itself still sees the features). --low-memory-unused lets a
# constant added to an address fold into the load's offset (page −123 B
# gzip): it assumes the first 1 KiB of memory is never used, which
# low-memory.mjs checks of this module's layout first. Left out:
# --traps-never-happen, --ignore-implicit-traps (each assumes something of
# the program that nothing checks). A last --optimize-instructions: its
# forms of -Oz's output compress better (full -21 B gzip; page -14 before
# the order step; with it, on 9c13902 the page did better without it, -33
# with four rounds (helper sc56), but after dd56's merge +14 B: kept).
# Page build also (a search over pass orders, helper ps42): one -O3, then
# --gufa and --code-folding before -Oz --converge, and a last
# --reorder-locals: page wasm 16,090 -> 16,066 B gzip (-24). Without
# --converge, page +8 B (2026-12-07).
# First, once (not under --converge, where repeating them grows the
# module): --flatten then --rereloop rebuilds each function's control flow
# from its CFG, which -Oz then shrinks further; --rse drops the flat form's
# redundant local.sets. Page wasm -165 B gzip, full -347 (2026-12-06); the
# full build's callback and start without it: within ±2 % (same-process
# A/B, helper fb43), so it stays there too.
node scripts/low-memory.mjs "$out/partner_oauth_bg.wasm" ${bound:+--stack-bound "$bound"}
scripts/node_modules/.bin/wasm-opt $keep --flatten --rereloop --rse $features "$out/partner_oauth_bg.wasm" -o "$out/partner_oauth_bg.wasm"
scripts/node_modules/.bin/wasm-opt $opt -Oz --converge $last --low-memory-unused --strip-producers --strip-target-features $features \
  "$out/partner_oauth_bg.wasm" -o "$out/partner_oauth_bg.wasm"
# The static data's segments that memory-packing cut at runs of zeros,
# joined again where less than 1 KiB apart (scripts/merge-data.mjs: page
# wasm -38 B gzip, full -152).
node scripts/merge-data.mjs "$out/partner_oauth_bg.wasm"
# Every load's and store's alignment hint at 1 byte (scripts/align-hints.mjs:
# a hint, not behaviour; one value gzips smaller than four): page wasm -26 B
# gzip before the order step, full -190.
node scripts/align-hints.mjs "$out/partner_oauth_bg.wasm"
# Each function's locals numbered in the order that gzips smallest
# (scripts/order-locals.mjs, a search over swaps of same-typed locals),
# before the functions' order: the page three rounds (~4 s of CPU), the
# full build one (~25 s). Page wasm -188 B gzip before the order step and
# -193 shipped, full -1,287 and -774 (the order search then finds less).
# The full build: three rounds with --estimate (each try gzipped whole
# only if it shrinks its function's neighbourhood) and --ties (a try that
# leaves the gzip as it was is kept too, so later tries start elsewhere),
# here and after the order: -1,617 B before the order for ~9 s of CPU,
# -331 shipped (helper mv62; five rounds -1,702 before, -261 shipped: the
# order's noise). On the page the estimate found less (+21 B before the
# order) and moves or ties here landed the order higher (+31 B shipped).
if $raw; then
  node scripts/order-locals.mjs "$out/partner_oauth_bg.wasm" 3
else
  node scripts/order-locals.mjs "$out/partner_oauth_bg.wasm" 3 --estimate --ties
fi
rm -f "$out/partner_oauth.d.ts" "$out/partner_oauth_bg.wasm.d.ts" "$out/.gitignore"
# The function bodies in the order that gzips smallest (a search,
# scripts/order-functions.mjs): the page's 85 functions each tried at every
# place, and swapped with each other one (-9 B, twice the time: ~27 s of
# CPU), three rounds, then its 18 types (page wasm -155 B gzip in two
# rounds, ~9 s of CPU; three -160, four the same after dd56's merge; the
# types -4 more); the full build's 428 each
# tried within 32 places of its own, only the 4 places a local estimate
# ranks smallest gzipped whole, two rounds (full wasm -888 B gzip, ~50 s of
# CPU; every place within 16 gzipped whole, as before: -729 in ~2 min;
# the estimate's 3 within 16, four rounds: -779 in ~45 s; three rounds
# within 32: -897 in ~75 s; within 64 the estimate ranks worse: one round
# -700; its 51 types -36 more for ~55 s of CPU: not taken). The full
# build's search starts from the link order reversed (--reversed): on
# three nearby modules it lands 178 to 394 B lower in the same CPU (helper
# ns58; a code step still moves it by up to ~±80 B); the page's lands 20
# to 28 B higher so.
# Then checked from binaryen's reading, not the search's own decoder
# (scripts/check-order.mjs): the new module's text, its function references
# renamed back through the order used, must be the old text (a few seconds).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$out/partner_oauth_bg.wasm" "$work/before.wasm"
if $raw; then
  node scripts/order-functions.mjs --order="$work/order.json" --types --swaps "$out/partner_oauth_bg.wasm" 3
else
  node scripts/order-functions.mjs --order="$work/order.json" --reversed "$out/partner_oauth_bg.wasm" 2 32 4
fi
node scripts/check-order.mjs "$work/before.wasm" "$out/partner_oauth_bg.wasm" "$work/order.json"
# The locals once more, now that the functions have their places (page
# -13 B gzip, full -538 on 5670021's modules; ~25 s of CPU for the full).
# Then the page's exports checked again once optimized and reordered: none
# is called or taken inside the module, and the pointer is not exported
# (stack-reset.awk).
if $raw; then
  # With --ties, six rounds (~5 s of CPU): -21 B shipped against three
  # rounds of strict gains (helper mv62; --moves too, ten rounds: -23 for
  # ~17 s).
  node scripts/order-locals.mjs "$out/partner_oauth_bg.wasm" 6 --ties
  # Commutative operands ordered for gzip (scripts/commute.mjs), last: page
  # wasm -20 B gzip with leaf operands (~2 s of CPU), -64 with whole
  # expressions and mirrored comparisons, -86 with if/else arms and select
  # values on an inverted comparison too (~3 s, helper ex62); also before
  # the locals' first round: +30 against none (leaf operands), before the
  # order +18. The full build's: below.
  node scripts/commute.mjs "$out/partner_oauth_bg.wasm" 3
  # Then the order, the locals and the operands once more, each finding a
  # little after the others (page wasm -9 B for ~28 s of CPU, helper mv62;
  # the same before the first commute: -6), the order checked as the first.
  cp "$out/partner_oauth_bg.wasm" "$work/again.wasm"
  node scripts/order-functions.mjs --order="$work/again.json" --types --swaps "$out/partner_oauth_bg.wasm" 3
  node scripts/check-order.mjs "$work/again.wasm" "$out/partner_oauth_bg.wasm" "$work/again.json"
  node scripts/order-locals.mjs "$out/partner_oauth_bg.wasm" 6 --ties
  node scripts/commute.mjs "$out/partner_oauth_bg.wasm" 3
  scripts/node_modules/.bin/wasm-dis "$out/partner_oauth_bg.wasm" | awk -v check=1 -f scripts/stack-reset.awk
else
  node scripts/order-locals.mjs "$out/partner_oauth_bg.wasm" 3 --estimate --ties
  # Commutative operands for gzip here too, now that the locals take less
  # time: one round (leaf operands: -47 B for ~15 s, three -71 for ~40 s,
  # helper mv62; with whole expressions one round -321 for ~23 s, ex62).
  node scripts/commute.mjs "$out/partner_oauth_bg.wasm" 1
fi
