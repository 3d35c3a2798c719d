// scripts/commute.mjs (scripts/build-wasm.sh, page build): commutative
// operands ordered for gzip, the program unchanged.
import { test } from "node:test";
import assert from "node:assert/strict";
import { funcModule, runScript } from "./wasm-bytes.mjs";
import { gzipSync } from "node:zlib";

const script = new URL("../../scripts/commute.mjs", import.meta.url).pathname;
const run = (bytes) => runScript(script, bytes);

// Functions (param i32 i32) -> i32 (one i32 local, 2) that each write the
// same steps with their two operands in its own order: commutative ones
// (add, mul, xor, eq, i32.const among them), whose order is free, and a
// sub and a local.tee, whose order is not (the answers differ by function).
const STEPS = [
  [0x6a, 0x20, 0, 0x20, 1], // add p0 p1
  [0x6c, 0x20, 2, 0x20, 0], // mul l2 p0
  [0x73, 0x20, 2, 0x41, 77], // xor l2 77
  [0x6b, 0x20, 2, 0x20, 1], // sub l2 p1
  [0x6a, 0x22, 1, 0x20, 1], // add (tee p1 <- l2) p1: p1 read on the other side
  [0x46, 0x20, 2, 0x20, 0], // eq l2 p0
  [0x72, 0x20, 1, 0x20, 2], // or p1 l2
];
function body(f) {
  const code = [];
  STEPS.forEach(([op, a, x, b, y], k) => {
    let first = [a, x];
    let second = [b, y];
    if ((f >> k) & 1) [first, second] = [second, first];
    // local.tee 1 takes the value pushed just before it (l2).
    if (first[0] === 0x22) first = [0x20, 2, 0x22, first[1]];
    if (second[0] === 0x22) second = [0x20, 2, 0x22, second[1]];
    code.push(...first, ...second, op, 0x20, 2, 0x6a, 0x21, 2); // l2 = op(...) + l2
  });
  code.push(0x20, 2, 0x0b);
  return [1, 1, 0x7f, ...code];
}
function module(count) {
  const bodies = [];
  // Every function its own operand orders (bit k: step k swapped).
  for (let f = 0; f < count; f++) {
    const b = body((f * 37) % 128);
    bodies.push(b);
  }
  return funcModule(bodies, [0x60, 2, 0x7f, 0x7f, 1, 0x7f]);
}
const answers = async (bytes, count) => {
  const { instance } = await WebAssembly.instantiate(bytes);
  return [...Array(count).keys()].map((f) => instance.exports[`f${String.fromCharCode(0x30 + f)}`](1000003, 7919));
};

test("commutative operands swapped: the same answers, same length, smaller gzip; sub and tee untouched", async () => {
  const before = module(16);
  const r = run(before);
  assert.equal(r.status, 0, r.stderr);
  const after = Uint8Array.from(r.after);
  assert.equal(after.length, before.length);
  assert.match(r.stdout, /^operand order: \d+ swaps kept at \d+ places, gzip (\d+) -> (\d+) B$/m);
  assert.ok(gzipSync(after, { level: 9 }).length < gzipSync(before, { level: 9 }).length, r.stdout);
  const got = await answers(after, 16);
  assert.deepEqual(got, await answers(before, 16));
  // The sub's and the tee's orders tell the functions apart: still so.
  assert.ok(new Set(got).size > 1);
  // Each step (its operands and opcode, up to `l2 + ; local.set 2`):
  // unchanged, or a commutative one's two operands swapped; a sub's and a
  // tee's never.
  const steps = (bytes) => {
    const out = [];
    let from = 0;
    for (let i = 0; i + 4 < bytes.length; i++)
      if (bytes[i + 1] === 0x20 && bytes[i + 2] === 2 && bytes[i + 3] === 0x6a && bytes[i + 4] === 0x21 && bytes[i + 5] === 2) {
        out.push(Buffer.from(bytes.subarray(from, i + 1)).toString("hex"));
        from = i + 6;
      }
    return out;
  };
  const [was, now] = [steps(before), steps(after)];
  assert.equal(now.length, was.length);
  let moved = 0;
  for (let k = 0; k < was.length; k++) {
    if (was[k] === now[k]) continue;
    moved++;
    const op = parseInt(was[k].slice(-2), 16);
    assert.ok([0x6a, 0x6c, 0x73, 0x46, 0x72].includes(op) && !/^(..)*22/.test(was[k]), `step ${was[k]} -> ${now[k]}`);
    const [x, y] = [was[k].slice(-10, -6), was[k].slice(-6, -2)];
    assert.equal(now[k], was[k].slice(0, -10) + y + x + was[k].slice(-2));
  }
  assert.ok(moved > 0);
});
