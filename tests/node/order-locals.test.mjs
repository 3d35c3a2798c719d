// scripts/order-locals.mjs (scripts/build-wasm.sh, page build): each
// function's same-typed locals renumbered for gzip, the program unchanged.
import { test } from "node:test";
import assert from "node:assert/strict";
import { funcModule, runScript, uleb } from "./wasm-bytes.mjs";
import { gzipSync } from "node:zlib";

const script = new URL("../../scripts/order-locals.mjs", import.meta.url).pathname;
const run = (bytes) => runScript(script, bytes);

// Functions (param i32) -> i32 with `locals` i32 locals and one f64, each
// numbering its i32 locals by its own permutation of one computation: the
// same answer, and bodies that one numbering would make identical.
function module(count, locals = 4) {
  const bodies = [];
  for (let f = 0; f < count; f++) {
    // Every other function two of its locals swapped: one swap makes it
    // like the rest.
    const perm = [...Array(locals).keys()].map((k) => k + 1);
    if (f % 2) [perm[f % 3], perm[(f % 3) + 1]] = [perm[(f % 3) + 1], perm[f % 3]];
    const code = [];
    perm.forEach((l, k) => code.push(0x41, 7 * (k + 1), 0x21, l)); // local.set l (i32.const 7k)
    code.push(0x20, 0); // the parameter
    for (let n = 0; n < 4; n++) for (const l of perm) code.push(0x20, l, 0x6b, 0x20, perm[n % locals], 0x6c); // local.get l, i32.sub, local.get, i32.mul
    code.push(0x0b);
    const decl = [2, ...uleb(locals), 0x7f, 1, 0x7c];
    const body = [...decl, ...code];
    bodies.push(body);
  }
  return funcModule(bodies, [0x60, 1, 0x7f, 1, 0x7f]);
}
const answers = async (bytes, count) => {
  const { instance } = await WebAssembly.instantiate(bytes);
  return [...Array(count).keys()].map((f) => instance.exports[`f${String.fromCharCode(0x30 + f)}`](100));
};

test("renumbered locals: the same answers, only local indices changed, smaller gzip", async () => {
  const before = module(12);
  const r = run(before);
  assert.equal(r.status, 0, r.stderr);
  const after = Uint8Array.from(r.after);
  assert.equal(after.length, before.length);
  assert.ok(gzipSync(after, { level: 9 }).length < gzipSync(before, { level: 9 }).length, r.stdout);
  assert.match(r.stdout, /^local order: gzip (\d+) -> (\d+) B$/m);
  assert.deepEqual(await answers(after, 12), await answers(before, 12));
  // Only bytes right after local.get / local.set moved, never to the
  // parameter (0) or the f64 (5).
  for (let i = 0; i < before.length; i++) {
    if (before[i] === after[i]) continue;
    assert.ok(before[i - 1] === 0x20 || before[i - 1] === 0x21, `byte ${i}`);
    assert.ok(after[i] >= 1 && after[i] <= 4 && before[i] >= 1 && before[i] <= 4);
  }
});

test("a function with 128 locals or more: refused, the module unwritten", () => {
  const before = module(2, 130);
  const r = run(before);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /locals not reordered/);
  assert.deepEqual(Uint8Array.from(r.after), before);
});
