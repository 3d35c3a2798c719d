// scripts/check-order.mjs (scripts/build-wasm.sh, after order-functions.mjs):
// from binaryen's reading, a reordered module must be the old one with its
// function references renamed through the order, and nothing else changed.
// Hand-made modules of three functions; the planted misread is an
// `i32.const 2` renumbered as if it were a call's function index, which
// order-functions.mjs' own check (validates, maps back byte for byte)
// would not see if its decoder made that mistake both ways.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compare, text } from "../../scripts/check-order.mjs";

const script = new URL("../../scripts/check-order.mjs", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "check-order-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const section = (id, body) => [id, body.length, ...body];
const body = (code) => [code.length + 1, 0, ...code];
const I32 = 0x7f,
  F64 = 0x7c;
const NONE_I32 = [0x60, 0, 1, I32],
  I32_I32 = [0x60, 1, I32, 1, I32],
  NONE_F64 = [0x60, 0, 1, F64];
// types: each one's bytes; funcs: [type, code] each; the export and the
// table's elements name functions by index.
function module(types, funcs, exported, elements) {
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [types.length, ...types.flat()]),
    ...section(3, [funcs.length, ...funcs.map(([type]) => type)]),
    ...section(4, [1, 0x70, 0, 3]),
    ...section(7, [1, 1, 0x61, 0x00, exported]),
    ...section(9, [1, 0, 0x41, 1, 0x0b, elements.length, ...elements]),
    ...section(10, [funcs.length, ...funcs.flatMap(([, code]) => body(code))]),
  ]);
}
const CALL = 0x10,
  INDIRECT = 0x11,
  CONST = 0x41,
  GET = 0x20,
  ADD = 0x6a,
  DROP = 0x1a,
  END = 0x0b;
// f0: f2(2); f1: 7; f2(x): f1() + x. Exported f0; table [f1, f2].
const before = module(
  [NONE_I32, I32_I32],
  [
    [0, [CONST, 2, CALL, 2, END]],
    [0, [CONST, 7, END]],
    [1, [CALL, 1, GET, 0, ADD, END]],
  ],
  0,
  [1, 2],
);
// order [2, 0, 1] (new index -> old): old 0, 1, 2 are now 1, 2, 0.
const order = [2, 0, 1];
const reordered = (constant, swapped = false) => {
  const [a, b] = swapped ? [1, 0] : [0, 1];
  const types = swapped ? [I32_I32, NONE_I32] : [NONE_I32, I32_I32];
  return module(
    types,
    [
      [b, [CALL, 2, GET, 0, ADD, END]],
      [a, [CONST, constant, CALL, 0, END]],
      [a, [CONST, 7, END]],
    ],
    1,
    [2, 0],
  );
};
// A call_indirect's type (the table's first element, its answer dropped):
// with the two types swapped, a type index left as it was still validates.
// (The third function uses the other type: binaryen prints only the types
// in use.)
const F64_0 = [0x44, 0, 0, 0, 0, 0, 0, 0, 0];
const indirect = (types, type, called = type(0)) =>
  module(
    types,
    [
      [type(0), [CONST, 1, END]],
      [type(0), [CONST, 0, INDIRECT, called, 0, DROP, CONST, 2, END]],
      [type(1), [...F64_0, END]],
    ],
    1,
    [0],
  );
const files = {};
for (const [name, bytes] of Object.entries({
  before,
  good: reordered(2),
  misread: reordered(0),
  types: reordered(2, true),
  indirect: indirect([NONE_I32, NONE_F64], (t) => t),
  indirectSwapped: indirect([NONE_F64, NONE_I32], (t) => 1 - t),
  indirectMisread: indirect([NONE_F64, NONE_I32], (t) => 1 - t, 0),
})) {
  assert.ok(WebAssembly.validate(bytes), name);
  files[name] = join(dir, `${name}.wasm`);
  writeFileSync(files[name], bytes);
}
// wasm-dis takes a second or two to start: each module read once.
const texts = {};
const read = (name) => (texts[name] ??= text(files[name]));
const same = (name, o = order) => compare(read("before"), read(name), o);

test("a module reordered right reads as the old one", () => {
  assert.equal(same("good"), null);
  assert.equal(same("before", null), null);
  assert.equal(same("before", [0, 1, 2]), null);
});

test("a type section in another order reads the same, and a type misread is found", () => {
  assert.equal(same("types"), null);
  const indirect = (name) => compare(read("indirect"), read(name), [0, 1, 2]);
  assert.equal(indirect("indirectSwapped"), null);
  assert.match(
    indirect("indirectMisread"),
    /^function \$1 differs at its line \d+: "\(call_indirect \(type \(func \(result i32\)\)\)" became "\(call_indirect \(type \(func \(result f64\)\)\)"$/,
  );
});

test("a constant renumbered as if a function index is found", () => {
  assert.match(same("misread"), /^function \$0 differs at its line 3: "\(i32\.const 2\)" became "\(i32\.const 0\)"$/);
  const run = spawnSync(process.execPath, [script, files.before, files.misread, writeOrder(order)], {
    encoding: "utf8",
  });
  assert.equal(run.status, 1);
  assert.match(run.stderr, /not the old one in binaryen's reading: function \$0 differs/);
});

test("another order than the one used is found", () => {
  assert.match(same("good", null), /differs/);
  assert.match(same("good", [1, 2, 0]), /differs/);
  assert.match(same("good", [2, 0, 0]), /not a permutation/);
  assert.match(same("good", [2, 0]), /not a permutation/);
  const run = spawnSync(process.execPath, [script, files.before, files.good, writeOrder(order)], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
});

function writeOrder(o) {
  const path = join(dir, "order.json");
  writeFileSync(path, JSON.stringify(o));
  return path;
}
