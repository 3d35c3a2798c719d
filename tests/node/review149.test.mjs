// Review 149 (an outside reviewer on 1d0d7f0: ex62's scripts/commute.mjs, operands that are whole expressions, mirrored
// comparisons, if/else arms and select values on an inverted comparison). No unsound swap found: these pin what held.
// The repo's commute tests keep only the swaps gzip likes on small modules, so a wrong opcode map or a misplaced
// nested place was caught only by the run-time check (the build stops): mutants with floats inverted under an `if`,
// lt_s mirrored as ge_s, select popping two, the if scan blind to nested blocks, nested places not moved with their
// operands all passed commute*.test.mjs and review147. Here every place is swapped (the gzip test forced true), on
// random modules, and the answers (NaN, -0, traps and their messages) must be the same and the check must accept.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gen } from "./review149-modules.mjs";
import { runMutant } from "./wasm-bytes.mjs";
import { places, functions } from "../../scripts/commute.mjs";
import { text } from "../../scripts/check-order.mjs";

const as = new URL("../../scripts/node_modules/.bin/wasm-as", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "review149-"));
const assemble = (name, wat) => {
  writeFileSync(join(dir, `${name}.wat`), wat);
  const r = spawnSync(as, [join(dir, `${name}.wat`), "-o", join(dir, `${name}.wasm`)], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return Uint8Array.from(readFileSync(join(dir, `${name}.wasm`)));
};
const A = [0, 1, -1, 7, 65536, 70000, -2147483648, 13];
const X = [NaN, -0, 0, 1.5, -Infinity, 3e9];
const L = [0n, -1n, 5n, 1n << 40n];
function answers(bytes) {
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  const out = [];
  let q = 1;
  for (const f of Object.values(inst.exports)) {
    if (typeof f !== "function") continue;
    for (let k = 0; k < 40; k++) {
      q = (q * 1103515245 + 12345) >>> 0;
      const args = [A[q % 8], A[(q >>> 3) % 8], X[(q >>> 6) % 6], X[(q >>> 9) % 6], L[(q >>> 12) % 4]];
      try {
        out.push(f(...args));
      } catch (e) {
        out.push(e.message);
      }
    }
  }
  return out;
}
const INT_CMP = new Set([0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a]);

test("review149: every place swapped at once (random modules, 3 seeds): the check accepts, the same answers", () => {
  let swaps = 0;
  for (const seed of [1, 2, 3]) {
    const before = assemble(`m${seed}`, gen(seed));
    // An inverted comparison (if/else arms, select values) is only ever an integer one.
    for (const p of places(Buffer.from(before))) if (p.map.has(0x48) && p.map.get(0x48) === 0x4e) assert.ok(INT_CMP.has(before[p.flip]), `seed ${seed}: 0x${before[p.flip].toString(16)} inverted`);
    const r = runMutant("commute.mjs", [["if (n < best) {", "if (true) {"]], before, ["1"]);
    assert.equal(r.status, 0, `seed ${seed}: ${r.stderr}`);
    swaps += Number(/(\d+) swaps kept/.exec(r.stdout)[1]);
    assert.equal(r.after.length, before.length);
    assert.notDeepEqual(r.after, before);
    const was = answers(before);
    assert.ok(was.includes("divide by zero") && was.includes("float unrepresentable in integer range") && was.some((a) => typeof a === "number"));
    assert.deepEqual(answers(r.after), was, `seed ${seed}`);
  }
  assert.ok(swaps > 1000, String(swaps));
});

// The check in main: a wrong byte rule (lt_s mirrored as ge_s, every place swapped) is refused, the module put back.
test("review149: a wrong mirror map in the bytes is refused by the check, the module as it was", () => {
  const before = assemble("w1", gen(1));
  const r = runMutant("commute.mjs", [["if (n < best) {", "if (true) {"], ["const PAIRS = [0x48, 0x4a,", "const PAIRS = [0x48, 0x4e,"], [", 0x4c, 0x4e, 0x4d, 0x4f,", ", 0x4c, 0x4a, 0x4d, 0x4f,"]], before, ["1"]);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /binaryen reads another program/);
  assert.deepEqual(r.after, before);
});

test("review149: the check tells a float `if` inverted (NaN) from the one written, and holds the integer one", () => {
  const fn = (cmp, x, y) => `(module (func $f (export "f") (param $x f32) (param $y f32) (param $a i32) (param $b i32) (result i32)
  (if (result i32) ${cmp} (then ${x}) (else ${y}))))`;
  const [one, two] = ["(i32.const 1)", "(i32.const 2)"];
  const read = (name, wat) => (assemble(name, wat), functions(text(join(dir, `${name}.wasm`))));
  const f = (op) => `(f32.${op} (local.get $x) (local.get $y))`;
  const i = (op) => `(i32.${op} (local.get $a) (local.get $b))`;
  assert.notDeepEqual(read("flt", fn(f("lt"), one, two)), read("fge", fn(f("ge"), two, one)));
  assert.notDeepEqual(read("fle", fn(f("le"), one, two)), read("fgt", fn(f("gt"), two, one)));
  assert.notDeepEqual(read("flt2", fn(f("lt"), one, two)), read("fge2", fn(f("ge"), one, two)));
  assert.deepEqual(read("ilt", fn(i("lt_s"), one, two)), read("ige", fn(i("ge_s"), two, one)));
  assert.deepEqual(read("ile", fn(i("le_u"), one, two)), read("igt", fn(i("gt_u"), two, one)));
  // f32.lt(x, y) mirrored: f32.gt(y, x), the same program; not ge.
  assert.deepEqual(read("fm1", fn(f("lt"), one, two)), read("fm2", fn("(f32.gt (local.get $y) (local.get $x))", one, two)));
  assert.notDeepEqual(read("fm3", fn(f("lt"), one, two)), read("fm4", fn("(f32.ge (local.get $y) (local.get $x))", one, two)));
});

// Review 149's last uncaught mutant (every label given one name in the check): harmless while no swap moves a branch,
// but then the check could not tell a branch to one enclosing block from a branch to another. Two functions that
// differ only so (both labels used in both: binaryen drops an unused one), with different answers, must read as
// different.
test("review149: the check tells a branch to the inner block from one to the outer", () => {
  const wat = (first, second) => `(module (func (export "f") (param i32) (result i32)
  (block $outer (block $inner (br_if ${first} (local.get 0)) (br_if ${second} (i32.eqz (local.get 0)))
    (return (i32.const 1))) (return (i32.const 2)))
  (i32.const 3)))`;
  const inner = assemble("br-inner", wat("$inner", "$outer")),
    outer = assemble("br-outer", wat("$outer", "$inner"));
  const run = (bytes) => new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.f(1);
  assert.deepEqual([run(inner), run(outer)], [2, 3]);
  assert.notDeepEqual(functions(text(join(dir, "br-inner.wasm"))), functions(text(join(dir, "br-outer.wasm"))));
});
