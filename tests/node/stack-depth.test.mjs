// scripts/stack-depth.mjs: the page wasm's deepest shadow stack, bounded
// from the linked module (build-wasm.sh links the page with a 4 KiB stack
// on that bound). Crafted modules in binaryen's text: the bound is the
// deepest path's frames added up; every form it cannot bound is refused.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../../", import.meta.url).pathname;
const script = join(root, "scripts/stack-depth.mjs");
const dir = mkdtempSync(join(tmpdir(), "stack-depth-"));
let made = 0;
const run = (wat) => {
  const path = join(dir, `${made++}.wat`);
  writeFileSync(path, wat);
  return spawnSync(process.execPath, [script, path], { encoding: "utf8" });
};

// A function taking a frame of `size` as LLVM does, calling `calls`, then restoring the pointer.
const fn = (name, size, calls = [], inner = "") => `
 (func ${name}
  (local $0 i32)
  (global.set $__stack_pointer
   (local.tee $0
    (i32.sub
     (global.get $__stack_pointer)
     (i32.const ${size})
    )
   )
  )
  ${calls.map((c) => `(call ${c})`).join("\n  ")}
  ${inner}
  (global.set $__stack_pointer
   (i32.add
    (local.get $0)
    (i32.const ${size})
   )
  )
 )`;
const module = (top, body, extra = "") => `(module
 (type $0 (func))
 (global $__stack_pointer (mut i32) (i32.const ${top}))
 (memory $0 1)
 ${extra}
 (export "e" (func $e))
 (data $.rodata (i32.const ${top}) "(\\"a string; with ) and (\\")")
 ${body}
)
`;

test("the bound is the deepest path's frames added up, whichever branch is deeper", () => {
  const r = run(module(4096, fn("$e", 32, ["$a", "$leaf"]) + fn("$a", 64, ["$b", "$c"]) + fn("$b", 16) + fn("$c", 128, ["$leaf"]) + fn("$leaf", 8)));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), String(32 + 64 + 128 + 8));
  assert.match(r.stderr, /at most 232 B deep from 4096 \(2840 B to spare above 1024\)/);
});

test("two frames in one function count twice; a function with no frame counts nothing", () => {
  // (A frame of its own local, given back before the first: review 145.)
  const twice = fn("$e", 16, ["$a"]).replace("(local $0 i32)", "(local $0 i32) (local $1 i32)").replace("(call $a)", `(call $a)
  (global.set $__stack_pointer (local.tee $1 (i32.sub (global.get $__stack_pointer) (i32.const 48))))
  (global.set $__stack_pointer (i32.add (local.get $1) (i32.const 48)))`);
  const r = run(module(4096, twice + `\n (func $a (nop))`));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), "64");
});

test("an indirect call may reach any function of the table", () => {
  const table = `(table $0 3 3 funcref)\n (elem $0 (i32.const 1) $small $big)`;
  const caller = fn("$e", 16, [], "(call_indirect (type $0) (i32.const 1))");
  const r = run(module(4096, caller + fn("$small", 8) + fn("$big", 512), table));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), String(16 + 512));
});

test("a depth that would reach the first 1 KiB is refused, one byte less is not", () => {
  assert.equal(run(module(4096, fn("$e", 3072))).status, 0);
  const over = run(module(4096, fn("$e", 3073)));
  assert.equal(over.status, 1);
  assert.match(over.stderr, /3073 B deep from 4096: it would reach the first 1024 B/);
});

test("what it cannot bound is refused: recursion, a frame in a loop, a frame not constant, other writes, references", () => {
  const refused = {
    recursion: [module(4096, fn("$e", 16, ["$a"]) + fn("$a", 16, ["$b"]) + fn("$b", 16, ["$a"])), /can reach itself/],
    self: [module(4096, fn("$e", 16, ["$e"])), /\$e can reach itself/],
    indirectCycle: [module(4096, fn("$e", 16, [], "(call_indirect (type $0) (i32.const 1))"), "(table $0 2 2 funcref)\n (elem $0 (i32.const 1) $e)"), /can reach itself/],
    loop: [module(4096, fn("$e", 16, [], "(loop $l (global.set $__stack_pointer (i32.sub (global.get $__stack_pointer) (i32.const 8))) (br $l))")), /takes a frame inside a loop/],
    dynamic: [module(4096, fn("$e", 16, [], "(global.set $__stack_pointer (i32.sub (global.get $__stack_pointer) (local.get $0)))")), /writes the stack pointer with something else/],
    dynamicLocal: [module(4096, fn("$e", 16, [], "(local.set $0 (i32.sub (global.get $__stack_pointer) (local.get $0)))")), /reads the stack pointer other than/],
    saved: [module(4096, fn("$e", 16, [], "(local.set $0 (global.get $__stack_pointer))")), /reads the stack pointer other than/],
    write: [module(4096, fn("$e", 16, [], "(global.set $__stack_pointer (i32.const 8))")), /writes the stack pointer with something else/],
    refFunc: [module(4096, fn("$e", 16, [], "(drop (ref.func $e))")), /function reference/],
    callRef: [module(4096, fn("$e", 16, [], "(call_ref $0 (local.get $0))")), /function reference/],
    noPointer: [module(4096, fn("$e", 16)).replace("(global $__stack_pointer (mut i32) (i32.const 4096))", ""), /no __stack_pointer global/],
    noExport: [module(4096, fn("$e", 16)).replace('(export "e" (func $e))', ""), /no exported function/],
    unbalanced: [module(4096, fn("$e", 16)).slice(0, -3), /unbalanced text/],
    binary: ["\0asm\x01\0\0\0", /not a module/],
  };
  for (const [name, [wat, why]] of Object.entries(refused)) {
    const r = run(wat);
    assert.equal(r.status, 1, `${name}: ${r.stdout}`);
    assert.match(r.stderr, why, name);
  }
});

// The page as built: its linked module (build-wasm.sh's `--raw` build; the package's tests run after it) is bounded,
// and the bound is what a run reaches: a keyed start's HMAC under the deepest path.
test("the page's linked module is bounded within its 4 KiB stack, and a keyed start reaches that bound", async (t) => {
  const linked = join(root, "target/nightly-page/wasm32-unknown-unknown/release/partner_oauth.wasm");
  if (!existsSync(linked)) return t.skip("no page build in target/ (scripts/build-pkg.sh makes one)");
  const wat = join(dir, "page.wat");
  const dis = spawnSync(join(root, "scripts/node_modules/.bin/wasm-dis"), [linked, "-o", wat], { encoding: "utf8" });
  assert.equal(dis.status, 0, dis.stderr);
  const r = spawnSync(process.execPath, [script, wat], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const bound = Number(r.stdout);
  const { PAGE_TOP } = await import("../pkg/stack.mjs");
  assert.ok(bound > 0 && bound <= PAGE_TOP - 1024, String(bound));
  // Measured: the stack set to 0xa5 before each call, the lowest byte written after it.
  const { loadWithExports } = await import("../pkg/stack.mjs");
  const { m, raw } = await loadWithExports(new URL("../../pkg/", import.meta.url).href, "page-node.js");
  const top = raw.g.value;
  assert.equal(top, PAGE_TOP);
  let lowest = top;
  const probe = (call) => {
    new Uint8Array(raw.memory.buffer, 0, top).fill(0xa5);
    call();
    const u = new Uint8Array(raw.memory.buffer, 0, top);
    lowest = Math.min(lowest, u.findIndex((b) => b !== 0xa5));
  };
  const redirectUri = "https://app.example/cb";
  let c, f;
  probe(() => (c = new m.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints: { authorize: "https://[::ffff:1.2.3.4]:8080/a?x=1" }, stateKey: ["a".repeat(300), "b".repeat(64)] })));
  probe(() => (f = c.startAuthorization({ payload: "p".repeat(2000), scopes: ["a", "b"], params: { x: "y".repeat(5000) } })));
  probe(() => c.parseCallback(`${redirectUri}?code=${"c".repeat(5000)}&state=${f.state}`, f.pending));
  probe(() => m.pkceChallenge(m.newPkceVerifier()));
  c.free();
  assert.equal(top - lowest, bound, "the deepest path is the one a keyed start takes");
});
