// Review 142 (outside reviewer on fo56's scripts/check-order.mjs): binaryen prints a start section as
// `(start $N)`, a function reference the checker did not rename. A module whose functions moved but whose start
// index did not (it then runs another function at instantiation) read as the old one; a correct renumbering read
// as a difference. order-functions.mjs refuses a start section today (it keeps the module), so the build never
// reached this; the checker is meant to hold on its own.
import { test } from "node:test";
import assert from "node:assert/strict";
import { compare } from "../../scripts/check-order.mjs";

const wat = (f0, f1, start) => `(module
 (global $global$0 (mut i32) (i32.const 7))
 (export "g" (func $2))
 (start $${start})
 (func $0
  (global.set $global$0
   (i32.const ${f0})
  )
 )
 (func $1
  (global.set $global$0
   (i32.const ${f1})
  )
 )
 (func $2 (result i32)
  (global.get $global$0)
 )
)
`;
// Before: start runs f0 (sets 1). After, functions 0 and 1 swapped (order[new] = old: [1, 0, 2]).
const before = wat(1, 2, 0);
test("review142 A: a start index not renumbered is a difference", () => {
  assert.notEqual(compare(before, wat(2, 1, 0), [1, 0, 2]), null);
});
test("review142 A: a start index renumbered through the order reads as the old module", () => {
  assert.equal(compare(before, wat(2, 1, 1), [1, 0, 2]), null);
  assert.equal(compare(before, before, null), null);
});
