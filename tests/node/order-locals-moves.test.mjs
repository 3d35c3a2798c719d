// scripts/order-locals.mjs' other tries (issue 26, helper mv62): --moves (a
// local taken out of its place and put at another of its run, the ones
// between shifted by one), --ties (a try that leaves the gzip as it was is
// kept too) and --estimate (a try gzipped whole only if it shrinks its
// function and the bytes near it). Each keeps the program; a move that is
// not a permutation inside one run must be refused by binaryen's check.
import { test } from "node:test";
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { funcModule, runMutant } from "./wasm-bytes.mjs";

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;

// Twelve functions (param i32) -> i32 with i32 locals 1..3, an i64 4 and i32
// locals 5..6 (three runs: 1..3, 4, 5..6). Every other function numbers
// locals 1..3 by a rotation of three: one move makes it like the rest, no
// single swap does (each leaves two of three apart).
function module(count = 12) {
  const bodies = [];
  for (let f = 0; f < count; f++) {
    const perm = f % 2 ? [2, 3, 1, 5, 6] : [1, 2, 3, 5, 6];
    const code = [];
    perm.forEach((l, k) => code.push(0x41, 7 * (k + 1), 0x21, l)); // local.set l (i32.const 7k)
    code.push(0x42, 9, 0x21, 4); // local.set 4 (i64.const 9)
    code.push(0x20, 0);
    for (let n = 0; n < 3; n++)
      for (let k = 0; k < 5; k++) code.push(0x20, perm[k], 0x6a + (k % 3), 0x20, perm[(k + n) % 5], 0x6c);
    code.push(0x20, 4, 0xa7, 0x6a, 0x0b);
    const body = [3, 3, 0x7f, 1, 0x7e, 2, 0x7f, ...code];
    bodies.push(body);
  }
  return funcModule(bodies, [0x60, 1, 0x7f, 1, 0x7f], { first: "A" });
}
const answers = async (bytes) => {
  const { instance } = await WebAssembly.instantiate(bytes);
  return Object.values(instance.exports).map((f) => f(100));
};
const run = (flags, edits = []) => runMutant("order-locals.mjs", edits, module(), ["3", ...flags]);
// Only bytes right after local.get / local.set moved, each inside its run
// (1..3 or 5..6: never the parameter or the i64).
const runOf = (l) => (l >= 1 && l <= 3 ? 1 : l >= 5 && l <= 6 ? 5 : l);
const onlyTheRun = (before, after) => {
  for (let i = 0; i < before.length; i++) {
    if (before[i] === after[i]) continue;
    assert.ok(before[i - 1] === 0x20 || before[i - 1] === 0x21, `byte ${i}`);
    assert.ok([1, 5].includes(runOf(before[i])) && runOf(after[i]) === runOf(before[i]), `byte ${i}`);
  }
};

test("--moves: a rotation no swap undoes is undone, the same answers", async () => {
  const before = module();
  const swaps = run([]);
  assert.equal(swaps.status, 0, swaps.stderr);
  assert.deepEqual(swaps.after, before, swaps.stdout);
  const r = run(["--moves"]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(gzip(r.after) < gzip(before), r.stdout);
  onlyTheRun(before, r.after);
  assert.deepEqual(await answers(r.after), await answers(before));
});

test("--ties and --estimate: the same answers, gzip no larger, the whole module's figures printed", async () => {
  const before = module();
  for (const flags of [["--ties"], ["--estimate"], ["--moves", "--ties", "--estimate"]]) {
    const r = run(flags);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(gzip(r.after) <= gzip(before), `${flags}: ${r.stdout}`);
    // The figures printed are the whole module's (the estimate only ranks).
    const [, from, to] = /^local order: gzip (\d+) -> (\d+) B$/m.exec(r.stdout);
    assert.deepEqual([Number(from), Number(to)], [gzip(before), gzip(r.after)]);
    onlyTheRun(before, r.after);
    assert.deepEqual(await answers(r.after), await answers(before));
  }
});

test("an unknown flag: refused, the module unwritten", () => {
  const r = run(["--move"]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /unknown flag/);
  assert.deepEqual(r.after, module());
});

// Mutants of the moves, each with every try kept (so the mutant's moves are
// written whatever gzip says): binaryen's check must refuse each, the module
// unwritten. Every try kept with the moves as they are passes.
const keepAll = ["if (s < best || (ties && s === best)) {", "if (true) {"];

test("moves with every try kept: still a permutation, the same answers", async () => {
  const r = run(["--moves"], [keepAll]);
  assert.equal(r.status, 0, r.stderr);
  assert.notDeepEqual(r.after, module());
  assert.deepEqual(await answers(r.after), await answers(module()));
});

test("mutant: the locals between a move's places not shifted (two on one index): refused", () => {
  const r = run(["--moves"], [keepAll, ["(i) => (i === x ? y : i - 1)", "(i) => (i === x ? y : i)"]]);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /locals not reordered/);
  assert.deepEqual(r.after, module());
});

test("mutant: a move's first index left out of its renumbering: refused", () => {
  const r = run(["--moves"], [keepAll, ["if (x < y - 1) yield [x, y,", "if (x < y - 1) yield [x + 1, y,"]]);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /locals not reordered/);
  assert.deepEqual(r.after, module());
});

test("mutant: moves one place past their run (into the i64, past the last local): refused", () => {
  const r = run(["--moves"], [keepAll, ["for (let y = lo; y < hi; y++) {", "for (let y = lo; y <= hi; y++) {"]]);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /locals not reordered/);
  assert.deepEqual(r.after, module());
});
