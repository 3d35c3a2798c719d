// Writes every load's and store's alignment hint as 1 byte (memarg align 0).
// The hint does not change what an access does (the wasm spec: a misaligned
// access behaves the same, at most slower where an engine uses the hint;
// V8 and SpiderMonkey are not known to on x64 and arm64), and one value in
// all 965 of the page's memargs gzips smaller than four: page wasm -26 B gzip
// before the order step, full -190 (issue 26, helper gzc). Same length, so
// no size field moves. Checked from binaryen's reading, not this one's: the
// text before and after, their `align=` annotations dropped, must be the
// same. Exits 1, writing nothing, on an opcode it does not read (atomics,
// whose alignment must be natural, among them).
//   node scripts/align-hints.mjs MODULE.wasm
import { readFileSync, writeFileSync } from "node:fs";
import { classifyWasm } from "./gzip-cost.mjs";
import { text } from "./check-order.mjs";

const path = process.argv[2];
const before = readFileSync(path);
const after = Buffer.from(before);
let count = 0;
try {
  classifyWasm(before, (a, b, cls) => {
    if (!cls.startsWith("memarg align")) return;
    if (b - a !== 1 || before[a] > 3) throw new Error(`an alignment of ${before[a]} at byte ${a}`);
    after[a] = 0;
    count++;
  });
} catch (e) {
  console.error(`${path}: alignment hints not written: ${e.message}`);
  process.exit(1);
}
const plain = (wat) => wat.replace(/ align=\d+/g, "");
const old = text(path);
writeFileSync(path, after);
let same = false;
try {
  same = plain(text(path)) === plain(old);
} catch {
  // binaryen could not read the rewrite: the module goes back as it was (review 146's note).
}
if (!same) {
  writeFileSync(path, before);
  console.error(`${path}: alignment hints not written: binaryen reads another module`);
  process.exit(1);
}
console.log(`alignment hints: ${count} memargs at 1 byte`);
