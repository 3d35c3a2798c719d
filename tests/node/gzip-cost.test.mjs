// scripts/gzip-cost.mjs: its inflater's bits add up to the stream, and the
// costs it charges are what deflate spends (issue 26's gzip profile).
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { gzipCost, classifyWasm } from "../../scripts/gzip-cost.mjs";

const bytes = (r) => r.cost.reduce((a, b) => a + b, 0);

test("the bits charged add up to the gzip stream, and the bytes come back", () => {
  const input = Buffer.from("partner-oauth ".repeat(50) + randomBytes(3000).toString("base64"));
  const r = gzipCost(input);
  assert.deepEqual(Buffer.from(r.data), input);
  const apart = Object.values(r.apart).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(bytes(r) + apart - r.total) < 1e-6);
  assert.equal(r.total, r.gzipBytes * 8);
  assert.ok(r.apart.trees > 0, "a dynamic block's code trees are counted apart");
});

test("random bytes cost about 8 bits each", () => {
  const input = randomBytes(20000);
  const r = gzipCost(input);
  const each = bytes(r) / input.length;
  assert.ok(each > 7.9 && each < 8.1, `${each} bits a byte`);
});

test("a repeat of earlier text costs near nothing; the first copy pays", () => {
  const first = randomBytes(2000);
  const r = gzipCost(Buffer.concat([first, first]));
  let a = 0,
    b = 0;
  for (let i = 0; i < 2000; i++) a += r.cost[i];
  for (let i = 2000; i < 4000; i++) b += r.cost[i];
  assert.ok(a > 7.5 * 2000, `first copy ${a} bits`);
  assert.ok(b < 0.1 * 2000, `the repeat ${b} bits`);
  assert.ok(r.matched[3999] && !r.matched[0]);
});

test("a wasm module's every byte is given a class", () => {
  // One function `(func (result i32) i32.const 300)`.
  const mod = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7f, 3, 2, 1, 0, 10, 7, 1, 5, 0, 0x41, 0xac, 0x02, 0x0b]);
  const seen = new Array(mod.length).fill(0);
  const classes = [];
  classifyWasm(mod, (a, b, cls) => {
    for (let i = a; i < b; i++) seen[i]++;
    classes.push(cls);
  });
  assert.deepEqual(seen, new Array(mod.length).fill(1));
  assert.ok(classes.includes("i32.const 2B"));
});
