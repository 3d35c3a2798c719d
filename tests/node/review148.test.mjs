// Review 148: scripts/order-locals.mjs's guard (binaryen's text of each function, its local references named back
// through the recorded permutation, must be the old text; each pair (new, old) declared, not a parameter, of one
// type: review 146) never asks that the recorded map be one to one. A search that renamed only some references of a
// local to an unused one of its type, and recorded that new index as the old local, splits one local into two: every
// reference names back to the old text, so the check passes, yet a read after the split sees zero. The search as it
// is renumbers every reference of a value alike and composes its map as a permutation, so this is the guard's gap,
// not a shipped fault; mutants of the script over a crafted module show it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { funcModule, runMutant, runScript } from "./wasm-bytes.mjs";

// Six functions (param i32) -> i32, locals 1..3 i32: local 1 = 5 + f, then param + local 1; locals 2 and 3 unused.
function module(count = 6) {
  const bodies = [];
  for (let f = 0; f < count; f++) {
    const body = [1, 3, 0x7f, 0x41, 5 + f, 0x21, 1, 0x20, 0, 0x20, 1, 0x6a, 0x0b];
    bodies.push(body);
  }
  return funcModule(bodies, [0x60, 1, 0x7f, 1, 0x7f], { first: "A" });
}
const answers = async (bytes) => {
  const { instance } = await WebAssembly.instantiate(bytes);
  return Object.values(instance.exports).map((f) => f(100));
};
const script = new URL("../../scripts/order-locals.mjs", import.meta.url).pathname;

test("review148 (held): the unmutated script, with --moves and --ties, keeps the answers", async () => {
  const r = runScript(script, module(), "held.wasm", ["6", "--moves", "--ties"]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(await answers(r.after), await answers(module()));
});

test("review148 A: a local split in two (only its later references renamed, the map recorded from them): refused", async () => {
  // Unrefused before the fix: exit 0, every function returns its parameter (100) instead of 105 + f.
  const r = runMutant(
    "order-locals.mjs",
    [
      ["const at = refs.filter((r) => buf[r] >= a && buf[r] <= b && to(buf[r]) !== buf[r]);", "const at = refs.filter((r) => buf[r] >= a && buf[r] <= b && to(buf[r]) !== buf[r]).slice(1);"],
      ["if (s < best || (ties && s === best)) {", "if (true) {"],
      ["for (let i = a; i <= b; i++) next.push([to(i), perm[fn].get(i) ?? i]);", "at.forEach((r, k) => next.push([buf[r], perm[fn].get(old[k]) ?? old[k]]));"],
    ],
    module(),
    ["1"],
  );
  assert.equal(r.status, 1, `exit ${r.status}: ${r.stdout} answers ${JSON.stringify(await answers(r.after))}`);
  assert.match(r.stderr, /locals not reordered/);
  assert.deepEqual(r.after, module());
});
