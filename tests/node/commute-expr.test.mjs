// scripts/commute.mjs with whole expressions as operands (helper ex62): a
// free pair's order is chosen for gzip, a pair whose order shows (a call,
// a local tee'd on one side and read on the other, two sides that can each
// trap) is never moved, and the check from binaryen's reading refuses each
// such swap made by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { functions } from "../../scripts/commute.mjs";
import { text } from "../../scripts/check-order.mjs";
import { HEADER, runScript, section, uleb } from "./wasm-bytes.mjs";

const script = new URL("../../scripts/commute.mjs", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "commute-expr-"));

// Steps `l2 = l2 - op(A, B)`: [op, A, B, free, mirror].
const STEPS = [
  [0x6a, [0x20, 0, 0x41, 3, 0x74], [0x20, 2, 0x20, 1, 0x6b], true], // add(shl(p0, 3), sub(l2, p1))
  [0x73, [0x20, 0, 0x41, 24, 0x76, 0x28, 0, 0], [0x20, 1, 0x41, 2, 0x74], true], // xor(load(p0 >> 24), shl(p1, 2))
  [0x48, [0x20, 0, 0x41, 1, 0x6b], [0x20, 2], true, 0x4a], // lt_s(sub(p0, 1), l2), mirrored gt_s
  [0x6a, [0x10, 0], [0x23, 0], false], // add(call g, global 0): g adds 1 to global 0
  [0x6a, [0x20, 0, 0x20, 2, 0x6b, 0x22, 2], [0x20, 2, 0x41, 1, 0x74], false], // add(tee l2 (sub(p0, l2)), shl(l2, 1))
  [0x6a, [0x20, 0, 0x20, 1, 0x6e], [0x20, 1, 0x41, 1, 0x6b, 0x28, 0, 0], false], // add(div_u(p0, p1), load(p1 - 1))
  [0x47, [0x20, 0, 0x20, 1, 0x20, 2, 0x1b], [0x20, 1], true], // ne(select(p0, p1, l2), p1)
  [0x6a, [0x20, 0, 0x41, 7, 0x6d], [0x20, 2], true], // add(div_s(p0, 7), l2): one side traps
  [0x5d, [0x20, 0, 0xb2], [0x20, 1, 0xb2], true, 0x5e], // f32.lt(p0, p1), mirrored f32.gt
];
const stepBytes = ([op, a, b, , mirror], swapped) => (swapped ? [...b, ...a, mirror ?? op] : [...a, ...b, op]);
// `if` and `select` on a comparison (lt_u(load(p0 >> 24), div_u(p1, 3)):
// its operands' order not free), written both ways: [as written, the other
// way, free]. The other way of a free one is the comparison inverted (ge_u)
// and the arms or values exchanged.
const cond = (op) => [0x20, 0, 0x41, 24, 0x76, 0x28, 0, 0, 0x20, 1, 0x41, 3, 0x6e, op];
const shl = [0x20, 0, 0x41, 3, 0x74]; // shl(p0, 3)
const sub = [0x20, 2, 0x20, 1, 0x6b]; // sub(l2, p1)
const LOAD = [0x20, 0, 0x41, 1, 0x6b, 0x41, 8, 0x76, 0x28, 0, 0];
const MORE = [
  [[...shl, ...sub, ...cond(0x49), 0x1b], [...sub, ...shl, ...cond(0x4f), 0x1b], true], // select(shl, sub, lt_u)
  [[0x10, 0, 0x23, 0, ...cond(0x4f), 0x1b], [0x23, 0, 0x10, 0, ...cond(0x49), 0x1b], false], // select(call g, global 0, ge_u): the global read
  // select(div_u(p1, p0), load((p0 - 1) >> 8), lt_u): two sides that can trap (for p0 = 0)
  [[0x20, 1, 0x20, 0, 0x6e, ...LOAD, ...cond(0x49), 0x1b], [...LOAD, 0x20, 1, 0x20, 0, 0x6e, ...cond(0x4f), 0x1b], false],
  [[...cond(0x49), 0x04, 0x7f, ...shl, 0x05, ...sub, 0x0b], [...cond(0x4f), 0x04, 0x7f, ...sub, 0x05, ...shl, 0x0b], true], // if lt_u shl else sub
  [[0x20, 0, 0x04, 0x7f, ...shl, 0x05, ...sub, 0x0b], [0x20, 0, 0x04, 0x7f, ...sub, 0x05, ...shl, 0x0b], false], // if p0: no comparison to invert
];
const WAYS = [
  ...STEPS.map((s) => [stepBytes(s, false), stepBytes(s, true), s[3]]),
  ...MORE,
];
function step(k, swapped) {
  return WAYS[k][swapped ? 1 : 0];
}
// f0: g; then one function (param i32 i32) -> i32 per mask (bit k: step k swapped).
function module(masks) {
  const g = [0, 0x23, 0, 0x41, 1, 0x6a, 0x24, 0, 0x23, 0, 0x0b];
  const bodies = [g];
  for (const mask of masks) {
    const code = [1, 1, 0x7f];
    WAYS.forEach((_, k) => code.push(0x20, 2, ...step(k, (mask >> k) & 1), 0x6b, 0x21, 2));
    bodies.push([...code, 0x20, 2, 0x0b]);
  }
  const exp = [];
  masks.forEach((_, f) => exp.push(...uleb(`f${f}`.length), ...Buffer.from(`f${f}`), 0, ...uleb(f + 1)));
  const code = [];
  for (const b of bodies) code.push(...uleb(b.length), ...b);
  const data = [...Array(256).keys()].map((i) => (i * 73 + 11) & 255);
  return Uint8Array.from([
    ...HEADER,
    ...section(1, [2, 0x60, 0, 1, 0x7f, 0x60, 2, 0x7f, 0x7f, 1, 0x7f]),
    ...section(3, [...uleb(bodies.length), 0, ...masks.map(() => 1)]),
    ...section(5, [1, 0, 1]),
    ...section(6, [1, 0x7f, 1, 0x41, 0, 0x0b]),
    ...section(7, [...uleb(masks.length), ...exp]),
    ...section(10, [...uleb(bodies.length), ...code]),
    ...section(11, [1, 0, 0x41, 0, 0x0b, ...uleb(data.length), ...data]),
  ]);
}
// Each function's answer for two calls in one instance (g's count carries
// over), and for (5, 0) and (0, 5): a trap in step 5 or in the select of
// two trapping sides, whose message tells which side trapped first.
async function answers(bytes, count) {
  const { instance } = await WebAssembly.instantiate(bytes);
  const out = [];
  for (let f = 0; f < count; f++) {
    const fn = instance.exports[`f${f}`];
    out.push(fn(1000003, 7919), fn(77, 12345));
    for (const args of [[5, 0], [0, 5]])
      try {
        out.push(fn(...args));
      } catch (e) {
        out.push(e.message);
      }
  }
  return out;
}
const masks = [...Array(16).keys()].map((f) => (f * 3037 + 5) % (1 << 14));

test("commute-expr: free expression pairs swapped for gzip, the same answers; a call, a tee read across, two traps never", async () => {
  const before = module(masks);
  const r = runScript(script, before);
  assert.equal(r.status, 0, r.stderr);
  const after = r.after;
  assert.equal(after.length, before.length);
  const was = await answers(before, masks.length);
  assert.deepEqual(await answers(after, masks.length), was);
  // Step 5's and the select's traps: the division's in some functions, the load's in others.
  for (const at of [2, 3]) {
    const traps = was.filter((_, i) => i % 4 === at);
    assert.ok(traps.includes("divide by zero") && traps.some((a) => /out of bounds/.test(a)), String(traps));
  }
  // The functions' steps at their places: each as written or, a free one,
  // swapped.
  let p = 8;
  const u = () => {
    let v = 0, shift = 0, b;
    do { b = after[p++]; v += (b & 127) << shift; shift += 7; } while (b & 128);
    return v;
  };
  const bodies = [];
  while (after[p] !== 10) {
    p++;
    const size = u();
    p += size;
  }
  p++;
  u();
  u(); // the code section's size, count
  for (let f = 0; f <= masks.length; f++) {
    const size = u();
    bodies.push(p);
    p += size;
  }
  bodies.shift(); // g
  let at;
  let moved = 0;
  masks.forEach((mask, f) => {
    at = bodies[f] + 3;
    WAYS.forEach((s, k) => {
      const mine = Buffer.from([0x20, 2, ...step(k, (mask >> k) & 1)]);
      const other = Buffer.from([0x20, 2, ...step(k, !((mask >> k) & 1))]);
      const here = Buffer.from(after.subarray(at, at + mine.length));
      if (!here.equals(mine)) {
        assert.deepEqual(here, other, `mask ${mask} step ${k}`);
        assert.ok(s[2], `mask ${mask}: step ${k} moved, whose order shows`);
        moved++;
      }
      at += mine.length + 3;
    });
  });
  assert.ok(moved > 0);
  assert.match(r.stdout, /swaps kept at \d+ places/);
});

// The check alone: one function of each step's two orders, the swap made by
// hand; binaryen's reading, put in canonical order, is the same only for a
// free step.
test("commute-expr: the check from binaryen's reading refuses each swap whose order shows, by hand", () => {
  WAYS.forEach((s, k) => {
    const read = (mask) => {
      const path = join(dir, `s${k}-${mask}.wasm`);
      writeFileSync(path, module([mask]));
      return functions(text(path));
    };
    const [one, two] = [read(0), read(1 << k)];
    const same = one.length === two.length && one.every((part, i) => part === two[i]);
    assert.equal(same, s[2], `step ${k}`);
  });
  // A mirrored comparison swapped without its opcode is another program.
  const path = join(dir, "lt.wasm");
  const bytes = module([0]);
  const lt = Buffer.from(bytes).indexOf(Buffer.from(step(2, 0)));
  Buffer.from(step(2, 1)).copy(Buffer.from(bytes.buffer), lt);
  bytes[lt + step(2, 0).length - 1] = 0x48;
  writeFileSync(path, bytes);
  assert.notDeepEqual(functions(text(path)), functions(text(join(dir, "s2-0.wasm"))));
});
