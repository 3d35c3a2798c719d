// Review 147: scripts/commute.mjs (commutative operands ordered for gzip, the page build's last step) attacked from
// outside. Its rule is sound where scripts/gzip-cost.mjs's decoder reads the module right; where it misreads (a
// memarg whose flags say a memory index follows, multi-memory), the two "instructions" before an operator are bytes
// of other instructions, and the swap rewrites another program. binaryen's check then refuses it (test 3), but when
// binaryen cannot read the rewrite at all, the script threw with the rewritten module left in place (test 1).
// commute.test.mjs has no i64 step: a mutant that drops i64.xor from the set or adds i64.sub still passes it (test 2).
import { test } from "node:test";
import assert from "node:assert/strict";
import { funcModule, runScript } from "./wasm-bytes.mjs";

const script = new URL("../../scripts/commute.mjs", import.meta.url).pathname;
const run = (bytes, name) => runScript(script, bytes, name);
const module = (bodies, type, data = []) => funcModule(bodies, type, { memory: true, data });
const I32X2_I32 = [0x60, 2, 0x7f, 0x7f, 1, 0x7f];

// `local.get 1; local.get 0; i32.load (flags 0x42: align 4, memory index 0 follows) offset 0x20; i32.const 0x20;
// i32.add; i32.mul`. Read without the memory index, the offset is the 0x00 and the decoder sees `local.get 0x41;
// local.get 0x6a; i32.mul`: a "site". Swapped, the bytes read `i32.load offset 0x20; i32.add; local.get 65;
// i32.mul`. A data segment holding the swapped bytes makes the swap gzip smaller.
const misread = (locals) => {
  const body = [1, locals, 0x7f, 0x20, 1, 0x20, 0, 0x28, 0x42, 0x00, 0x20, 0x41, 0x20, 0x6a, 0x6c, 0x0b];
  const data = [];
  for (let i = 0; i < 40; i++) data.push(0x42, 0x00, 0x20, 0x6a, 0x20, 0x41, 0x6c, 0x0b, i);
  return module([body], I32X2_I32, data);
};

test("review147 1: a rewrite binaryen cannot read (local 65 of 3) leaves the module as it was, refused", () => {
  const before = misread(1);
  const r = run(before);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /operands not reordered/);
  assert.deepEqual(Uint8Array.from(r.after), before);
});

test("review147 3: a misread whose rewrite binaryen reads (66 locals) is refused, the module as it was", () => {
  const before = misread(66);
  const r = run(before);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /operands not reordered/);
  assert.deepEqual(Uint8Array.from(r.after), before);
});

// i64 steps, each `op(first, second) [i64.extend_i32_u] + l2 -> l2` with the two operands in the function's own
// order: seven commutative ones (add, mul, and, or, xor, eq, ne), and a sub and a shl, which are not.
const STEPS64 = [
  [0x7c, [0x20, 0], [0x20, 1]], // add p0 p1
  [0x7e, [0x20, 2], [0x20, 0]], // mul l2 p0
  [0x83, [0x20, 1], [0x42, 0x2d]], // and p1 45
  [0x84, [0x20, 2], [0x20, 1]], // or l2 p1
  [0x85, [0x20, 0], [0x42, 0x11]], // xor p0 17
  [0x7d, [0x20, 2], [0x20, 1]], // sub l2 p1
  [0x86, [0x20, 1], [0x42, 3]], // shl p1 3
  [0x51, [0x20, 2], [0x20, 0]], // eq l2 p0
  [0x52, [0x20, 1], [0x20, 2]], // ne p1 l2
];
const COMMUTATIVE64 = [0x7c, 0x7e, 0x83, 0x84, 0x85, 0x51, 0x52];
const stepBytes = ([op, a, b], swapped) => [...(swapped ? [...b, ...a] : [...a, ...b]), op, ...(op === 0x51 || op === 0x52 ? [0xad] : []), 0x20, 2, 0x7c, 0x21, 2];
function body64(mask) {
  const code = [];
  STEPS64.forEach((s, k) => code.push(...stepBytes(s, (mask >> k) & 1)));
  return [1, 1, 0x7e, ...code, 0x20, 2, 0x0b];
}

test("review147 2: i64 steps: the seven commutative ones' places all found, sub and shl never moved, the same answers", async () => {
  const count = 16;
  const masks = [...Array(count).keys()].map((f) => (f * 37) % 512);
  const before = module(masks.map(body64), [0x60, 2, 0x7e, 0x7e, 1, 0x7e]);
  const r = run(before, "i64.wasm");
  assert.equal(r.status, 0, r.stderr);
  // Every commutative i64 step is a place, and each step's `+ l2` (a whole expression and l2, helper ex62),
  // nothing else is.
  assert.match(r.stdout, new RegExp(`swaps kept at ${(COMMUTATIVE64.length + STEPS64.length) * count} places`));
  const after = Uint8Array.from(r.after);
  const answers = async (bytes) => {
    const { instance } = await WebAssembly.instantiate(bytes);
    return Object.values(instance.exports).map((g) => g(1000003n, -7919n));
  };
  assert.deepEqual(await answers(after), await answers(before));
  let moved = 0;
  // Each function's steps read back from its body: each as written or (a commutative one) swapped.
  const code = (bytes) => {
    let p = 8;
    const u = () => {
      let v = 0, s = 0, b;
      do { b = bytes[p++]; v += (b & 127) * 2 ** s; s += 7; } while (b & 128);
      return v;
    };
    while (bytes[p] !== 10) {
      p++;
      const size = u();
      p += size;
    }
    p++; u();
    const n = u();
    const out = [];
    for (let i = 0; i < n; i++) { const len = u(); out.push(Buffer.from(bytes.subarray(p, p + len))); p += len; }
    return out;
  };
  const got = code(after);
  masks.forEach((mask, f) => {
    let at = 3;
    STEPS64.forEach((s, k) => {
      const mine = Buffer.from(stepBytes(s, (mask >> k) & 1));
      const other = Buffer.from(stepBytes(s, !((mask >> k) & 1)));
      const here = got[f].subarray(at, at + mine.length);
      if (Buffer.compare(here, mine) === 0) {
        at += mine.length;
        return;
      }
      assert.deepEqual(here, other, `f${f} step ${k}`);
      assert.ok(COMMUTATIVE64.includes(s[0]), `f${f}: a non-commutative step (0x${s[0].toString(16)}) moved`);
      moved++;
      at += mine.length;
    });
  });
  assert.ok(moved > 0);
});
