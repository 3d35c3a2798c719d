// Review 152 (outside reviewer on dabeaa8: review130's held constant-time check, compares()'s second rule,
// `commuted`). The rule reads a body as expression trees, sorts commutative operands, writes gt/ge as the mirrored
// lt/le and names every declared local "L". Four bodies that are not d6f1564's compare, each the pinned bytes with
// a few moved or one index changed, and each valid wasm, matched it, so the held test passed on a page module
// shipping them:
// C: the final read-back's address `local.get 0` moved before the `local.tee 0` that sets it (the tree puts a read
//    held on the stack after the write it preceded): the answer is the byte 15 past the first slice's end, not the
//    accumulated equality. Against the page, any state of the right length is accepted when text follows it.
// D: `0 - x` reads the stack-address local instead of the xor (two declared locals are one name "L").
// E: `x | -x` with `-x` computed first (or's operands sorted although one holds the `local.tee` the other reads):
//    each byte tested against the previous byte's xor.
// F: the volatile read of a byte's flag moved before its store (held on the stack across it): each byte and-s the
//    previous byte's flag, so the last byte never counts.
// The scripts are review152-scripts.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { childRunner } from "./child.mjs";

const pkg = new URL("../../pkg/", import.meta.url).href;
const run = childRunner(new URL("./review152-scripts.mjs", import.meta.url).href, pkg);
const review130 = childRunner(new URL("./review130-scripts.mjs", import.meta.url).href, pkg);
// review130.test.mjs' CT_EQ (d6f1564's ct::eq).
const CT_EQ =
  "01027f2001200346047f41012103034020010440230041106b220420022d000020002d0000732205410020056b72c041004e3a000f200320042d000f712103200141016b2101200241016a2102200041016a21000c010b0b230041106b220020033a000f20002d000f4100470541000b0b";
const edit = (...pairs) => pairs.reduce((b, [from, to]) => {
  assert.equal(b.split(from).length, 2, from);
  return b.replace(from, to);
}, CT_EQ);
const MUTANTS = {
  C: edit(["230041106b220020033a000f20002d000f", "2000230041106b220020033a000f2d000f"]),
  D: edit(["410020056b", "410020046b"]),
  E: edit(["20022d000020002d0000732205410020056b72", "410020056b20022d000020002d000073220572"]),
  F: edit(["0440230041106b2204", "0440200320042d000f230041106b2204"], ["3a000f200320042d000f712103", "3a000f712103"]),
};

test("review152: compares() finds d6f1564's compare in the shipped page, called by the callback and verify", async () => {
  const r = await review130(`s.compares(pkg, ${JSON.stringify(CT_EQ)})`);
  assert.equal(r.same.length, 1);
  assert.ok(r.direct.includes(r.exports.c));
});

test("review152: a page whose compare reads a byte past its input is not d6f1564's compare (C accepts forged states)", async () => {
  const url = await run(`s.mutant(pkg, ${JSON.stringify(CT_EQ)}, ${JSON.stringify(MUTANTS.C)})`);
  try {
    // The mutant is unsafe: states of the flow's length but other bytes are accepted (the shipped page refuses them).
    assert.deepEqual(await run(`s.forgedStates(${JSON.stringify(url)})`), { own: "accepted", first: "accepted", last: "accepted", all: "accepted" });
    assert.deepEqual(await run("s.forgedStates(pkg)"), { own: "accepted", first: "state_mismatch", last: "state_mismatch", all: "state_mismatch" });
    assert.deepEqual((await review130(`s.compares(${JSON.stringify(url)}, ${JSON.stringify(CT_EQ)})`)).same, []);
  } finally {
    rmSync(fileURLToPath(url), { recursive: true, force: true });
  }
});

for (const name of ["D", "E", "F"]) {
  test(`review152: mutant ${name} of d6f1564's compare does not match it`, async () => {
    const url = await run(`s.mutant(pkg, ${JSON.stringify(CT_EQ)}, ${JSON.stringify(MUTANTS[name])})`);
    try {
      assert.deepEqual((await review130(`s.compares(${JSON.stringify(url)}, ${JSON.stringify(CT_EQ)})`)).same, []);
    } finally {
      rmSync(fileURLToPath(url), { recursive: true, force: true });
    }
  });
}
