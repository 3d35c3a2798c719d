# The page build's exports made to put the shadow stack pointer at its top
# first (build-wasm.sh; review 110 F3: an unwind leaves it lower). Reads
# binaryen's text (wasm-dis) and writes it back with, before each exported
# function's first instruction, `(global.set $__stack_pointer (i32.const
# top))`, where `top` is the pointer's initial value read from the text
# (1 MiB, the link's stack). Right only while no export can run inside
# another or be called from the module: then no frame is live when one
# starts. So it fails (exit 1) if the module imports anything (no JS then
# runs while an export runs), has a table element or a start function, or
# calls or takes an exported function; and unless every exported function
# got its reset and the pointer's own export was there to drop (the pointer
# stays the module's). With -v check=1 it only checks, and prints nothing:
# build-wasm.sh runs it again on the optimized module, whose names are
# numbers (its pointer is global 0): there each export must set the pointer
# to its top before anything but block openings, constants and a store's
# opening (whose address is a constant: wasm-opt folds the known frame)
# (review 126 B). An export whose function name it cannot read fails.
#   awk -f scripts/stack-reset.awk IN.wat >OUT.wat
#   awk -v check=1 -f scripts/stack-reset.awk OPTIMIZED.wat
function fail(why) {
  print "page wasm (scripts/stack-reset.awk): " why > "/dev/stderr"
  failed = 1
  exit 1
}
/^ \(import / { fail("it imports: " $0) }
/^ \(elem / { fail("it has a table element") }
/^ \(start / { fail("it has a start function") }
!check && /^ \(global \$__stack_pointer \(mut i32\) \(i32\.const [0-9]+\)\)$/ { top = $6; sub(/\)\)$/, "", top) }
!check && /^ \(export "__stack_pointer" \(global \$__stack_pointer\)\)$/ { dropped = 1; next }
/^ \(export "[^"]*" \(global / { fail("it exports a global: " $0) }
/^ \(export "[^"]*" \(func / && !/^ \(export "[^"]*" \(func \$[^ ()"]+\)\)$/ { fail("an exported function whose name it cannot read: " $0) }
/^ \(export "[^"]*" \(func \$[^ ()"]+\)\)$/ { name = $4; sub(/\)\)$/, "", name); if (!(name in exported)) functions++; exported[name] = 1 }
# A reference to an exported function: a call (plain or tail) or a ref.func.
{
  line = $0
  while (match(line, /\((call|return_call|ref\.func) \$[^ )]+/)) {
    target = substr(line, RSTART, RLENGTH)
    sub(/^[^$]*/, "", target)
    if (target in exported) fail("it calls or takes the exported " target)
    line = substr(line, RSTART + RLENGTH)
  }
}
reset && !/^  \(local / {
  print "  (global.set $__stack_pointer (i32.const " top "))"
  reset = 0
  resets++
}
!check && /^ \(func / && ($2 in exported) {
  if (top == "") fail("no stack pointer global with a constant top before the functions")
  reset = 1
}
check && /^ \(global \$global\$0 \(mut i32\) \(i32\.const [0-9]+\)\)$/ { top = $6; sub(/\)\)$/, "", top) }
check && scan {
  if (set) {
    if ($0 !~ "^ +\\(i32\\.const " top "\\)$") fail("the export " name " sets the pointer to another value first")
    resets++
    scan = set = 0
    next
  }
  if (/^ +\(global\.set \$global\$0$/) { set = 1; next }
  if (/^  \(local / || /^ +\((block|loop)( \$[^ ]+)?( \(result [a-z0-9]+\))?$/ || /^ +\(i(32|64)\.store(8|16|32)?( offset=[0-9]+)?( align=[0-9]+)?$/ || /^ +\(i(32|64)\.const -?[0-9]+\)$/) next
  fail("the export " name " runs this before it resets the pointer: " $0)
}
check && /^ \(func / && ($2 in exported) {
  if (top == "") fail("no pointer (global 0) with a constant top before the functions")
  scan = 1
  name = $2
}
!check { print }
END {
  if (failed) exit 1
  if (check && (resets != functions || !functions)) fail(resets + 0 " resets for " functions + 0 " exported functions")
  if (check) exit 0
  if (!dropped) fail("the stack pointer is not exported by the link (build-wasm.sh's sp)")
  if (resets != functions || !functions) fail(resets + 0 " resets for " functions + 0 " exported functions")
}
