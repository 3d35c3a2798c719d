// Review 146: scripts/order-locals.mjs's check through binaryen names each function's local references back through
// the permutation the search recorded, but never asks whether that permutation was one it may make: a script whose
// runs of locals were wrong (a parameter in a run, a run across two types) still exits 0 and writes the module.
// Mutants of the script (the search left as it is, its runs moved) over a crafted module: each must be refused by
// the check, the module left unwritten. The unmutated script must still reorder it with the same answers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { funcModule, runMutant } from "./wasm-bytes.mjs";

// Twelve functions (param i32) -> i32, locals 1..3 i32, 4 i64, 5..6 i32. Every other function uses its parameter
// where the rest use local 1 (and local 1 where they use the parameter): swapping 0 and 1 makes them all alike.
function module(count = 12) {
  const bodies = [];
  for (let f = 0; f < count; f++) {
    const code = [];
    for (const [l, c] of [[1, 3], [2, 5], [3, 7], [5, 11], [6, 13]]) code.push(0x41, c, 0x21, l);
    code.push(0x42, 9, 0x21, 4);
    const hot = f % 2 ? 0 : 1,
      cold = f % 2 ? 1 : 0;
    code.push(0x20, hot);
    for (let k = 0; k < 6; k++) code.push(0x20, hot, 0x6a, 0x20, cold, 0x6c, 0x20, 2, 0x6b, 0x20, 5, 0x6a, 0x20, 3, 0x73);
    code.push(0x20, 4, 0xa7, 0x6a, 0x20, 6, 0x6a, 0x0b);
    const body = [3, 3, 0x7f, 1, 0x7e, 2, 0x7f, ...code];
    bodies.push(body);
  }
  return funcModule(bodies, [0x60, 1, 0x7f, 1, 0x7f], { first: "A" });
}
const answers = async (bytes) => {
  const { instance } = await WebAssembly.instantiate(bytes);
  return Object.values(instance.exports).map((f) => f(100));
};
const run = (name, edits) => runMutant("order-locals.mjs", edits, module());

test("review146 (held): the unmutated script passes the crafted module, the same answers", async () => {
  const r = run("unmutated", []);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(await answers(r.after), await answers(module()));
});

test("review146 A: runs counted from local 0 (the parameter in a run): refused by the check", () => {
  // Unrefused before the fix: exit 0, local order 178 -> 176 B, the parameter swapped with local 1, other answers.
  const r = run("params", [["let at = types[funcTypes[fn]];", "let at = 0;"]]);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /locals not reordered/);
  assert.deepEqual(r.after, module());
});

test("review146 B: one run across the i32 and i64 locals, every swap kept: refused by the check", () => {
  // Unrefused before the fix: exit 0 and a module that does not validate.
  const r = run("types", [
    ["if (count > 1) out.push([at, at + count]);", "if (out.length && out.at(-1)[1] === at) out.at(-1)[1] += count; else out.push([at, at + count]);"],
    ["if (s < best || (ties && s === best)) {", "if (true) {"],
  ]);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /locals not reordered/);
  assert.deepEqual(r.after, module());
});
