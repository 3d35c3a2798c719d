// Review 145 (an outside reviewer on 8d92682, the page's 4 KiB stack): scripts/stack-depth.mjs's bound is a sum of
// the frames each function subtracts, which holds only if each frame is given back, whole, before the function
// returns. Its write check took any `(global.set $__stack_pointer (local.get $x))` or `(i32.add (local.get $x) (i32.const
// N))` as "a restore" without asking whether $x holds that function's frame, whether N is its size, or whether every
// path reaches it; and it counted an import as frameless, a start function not at all and an element given as an
// expression as no target. Each module here was accepted with a bound far below the depth it reaches when run (the
// comments give both, before the fix). The shipped page is not affected: its linked module's 37 frames each have one
// take (a `local.tee` of the frame) and one restore of that local and size at the function's top level, no return in
// between, and a keyed start measures exactly the bound (tests/node/stack-depth.test.mjs); these forms are what a
// future LLVM, a dependency or a code change could bring without the build saying a word (build-wasm.sh's awk refuses
// imports, starts and elements itself, not the other four).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../../", import.meta.url).pathname;
const script = join(root, "scripts/stack-depth.mjs");
const dir = mkdtempSync(join(tmpdir(), "review145-"));
const take = (l, n) => `(global.set $__stack_pointer (local.tee ${l} (i32.sub (global.get $__stack_pointer) (i32.const ${n}))))`;
const restore = (l, n) => `(global.set $__stack_pointer (i32.add (local.get ${l}) (i32.const ${n})))`;
// $deep: a 16 B frame that writes at its base.
const deep = `(func $deep (local $0 i32) ${take("$0", 16)} (i32.store (local.get $0) (i32.const 1)) ${restore("$0", 16)})`;
const mod = (body, imports = "") => `(module
 (type $0 (func))
 ${imports}
 (global $__stack_pointer (mut i32) (i32.const 4096))
 (memory $0 1)
 (export "e" (func $e))
 ${deep}
 ${body}
)
`;
const run = (name, wat) => {
  const path = join(dir, `${name}.wat`);
  writeFileSync(path, wat);
  return spawnSync(process.execPath, [script, path], { encoding: "utf8" });
};

const unsound = {
  // Bound 32 B; runs 3,032 B deep: the "restore" is a local 3,000 B below the frame.
  restoreOther: mod(`(func $e (local $0 i32) (local $1 i32) ${take("$0", 16)} (local.set $1 (i32.sub (local.get $0) (i32.const 3000)))
  (global.set $__stack_pointer (local.get $1)) (call $deep) ${restore("$0", 16)})`),
  // Bound 1,024 B; runs 3,040 B deep: a frame of 1,024 given back 16 B of it, taken three times.
  partial: mod(`(func $leak (local $0 i32) ${take("$0", 1024)} ${restore("$0", 16)})
 (func $e (call $leak) (call $leak) (call $leak) (call $deep))`),
  // Bound 1,024 B; runs 3,088 B deep: a return before the restore, three times.
  earlyReturn: mod(`(func $leak (local $0 i32) ${take("$0", 1024)} (if (i32.const 1) (then (return))) ${restore("$0", 1024)})
 (func $e (call $leak) (call $leak) (call $leak) (call $deep))`),
  // Bound 1,024 B: the restore sits in a branch not taken.
  branchRestore: mod(`(func $leak (local $0 i32) ${take("$0", 1024)} (if (i32.const 0) (then ${restore("$0", 1024)})))
 (func $e (call $leak) (call $leak) (call $leak) (call $deep))`),
  // Bound 16 B; runs 3,216 B deep: that leak called in a loop (the frame itself is not in one).
  loopLeak: mod(`(func $leak (local $0 i32) ${take("$0", 16)} (if (i32.const 1) (then (return))) ${restore("$0", 16)})
 (func $e (local $i i32) (loop $l (call $leak) (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 200)))) (call $deep))`),
  // Bound 32 B: the frame's local overwritten before the restore.
  localRewritten: mod(`(func $e (local $0 i32) ${take("$0", 16)} (local.set $0 (i32.const 1000)) (call $deep) ${restore("$0", 16)})`),
  // Bound 1,040 B: two frames restored in the order they were taken (a restore is absolute: the second leaves the
  // pointer at the first frame, 1,024 B below the entry), three times.
  crossed: mod(`(func $leak (local $0 i32) (local $1 i32) ${take("$0", 1024)} ${take("$1", 16)} ${restore("$0", 1024)} ${restore("$1", 16)})
 (func $e (call $leak) (call $leak) (call $leak) (call $deep))`),
  // Bound 16 B; runs 4,016 B deep: a start function runs at instantiation and was never counted.
  start: mod(`(func $s (local $0 i32) ${take("$0", 4000)} (call $deep) ${restore("$0", 4000)})
 (start $s)
 (func $e (call $deep))`),
  // Bound 0 B; runs 3,516 B deep: an element given as an expression was no target of the indirect call.
  elemExpression: mod(`(table $t 1 1 funcref)
 (elem $x (table $t) (i32.const 0) funcref (item ref.func $big))
 (func $big (local $0 i32) ${take("$0", 3500)} (call $deep) ${restore("$0", 3500)})
 (func $e (call_indirect (type $0) (i32.const 0)))`),
  // Bound 1,016 B; runs 3,016 B deep (and without end): an import that calls the export again.
  reentry: mod(`(func $e (local $0 i32) ${take("$0", 1000)} (call $back) (call $deep) ${restore("$0", 1000)})`, `(import "env" "back" (func $back))`),
};

test("stack-depth.mjs refuses a frame it cannot prove given back, whole, on every path, and code it does not count", () => {
  for (const [name, wat] of Object.entries(unsound)) {
    const r = run(name, wat);
    assert.equal(r.status, 1, `${name}: accepted with a bound of ${r.stdout.trim()} B`);
    assert.match(r.stderr, /the stack's depth is not bounded/, name);
  }
});

test("the frames LLVM writes still bound as before: a take and its restore at the top level, a leaf's frame", () => {
  const leaf = `(func $leaf (local $0 i32) (i32.store (local.tee $0 (i32.sub (global.get $__stack_pointer) (i32.const 32))) (i32.const 0)))`;
  const r = run("llvm", mod(`(func $e (local $0 i32) (local $1 i32) ${take("$0", 48)} (local.set $1 (i32.const 2)) (if (local.get $1) (then (call $deep)) (else (call $leaf)))
  ${restore("$0", 48)} (drop (local.get $1))) ${leaf}`));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), String(48 + 32));
});
