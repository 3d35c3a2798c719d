// Checks what wasm-opt's --low-memory-unused assumes of a module (the
// first 1 KiB of memory is never read or written, so a constant added to
// an address can fold into the load's offset): every active data segment
// starts at 1 KiB or later, and the stack (which grows down from the first
// global, __stack_pointer) starts at 64 KiB or later, so it reaches low
// memory only after overflowing 63 KiB of its own; or, given the stack's
// proven depth (--stack-bound, from stack-depth.mjs), starts at least
// 1 KiB above it. The heap comes after the data (memory the allocators
// grow). The module is read with binaryen's own reader, the wasm-opt build
// steps use. Exits 1 with the reason otherwise.
//   node scripts/low-memory.mjs MODULE.wasm [--stack-bound BYTES]
import { readFileSync } from "node:fs";
import binaryen from "binaryen";

const LOW = 1024;
const STACK_MIN = 65536;
const [path, flag, depth] = process.argv.slice(2);
const fail = (why) => {
  console.error(`${path}: --low-memory-unused does not hold: ${why}`);
  process.exit(1);
};
if (flag !== undefined && (flag !== "--stack-bound" || !/^\d+$/.test(depth ?? ""))) fail("usage: low-memory.mjs MODULE.wasm [--stack-bound BYTES]");
const bound = flag === undefined ? null : Number(depth);
const module = binaryen.readBinary(readFileSync(path));

// A memory given from outside could be laid out otherwise.
if (!module.hasMemory() || module.getMemoryInfo().module) fail("the module's memory is not its own");
const count = module.getNumDataSegments();
for (let i = 0; i < count; i++) {
  const { offset, passive } = module.getDataSegmentInfo(module.getDataSegmentByIndex(i));
  // A passive segment is copied where the code says.
  if (!passive && !(offset >= LOW)) fail(`data segment ${i} at ${offset}`);
}
const first = module.getNumGlobals() > 0 ? binaryen.getGlobalInfo(module.getGlobalByIndex(0)) : null;
const init = first?.mutable ? binaryen.getExpressionInfo(first.init) : null;
const least = bound === null ? STACK_MIN : LOW + bound;
if (init?.id !== binaryen.ConstId || !(init.value >= least)) fail(`the stack starts at ${init?.value ?? "an unknown address"}${bound === null ? "" : `, ${bound} B deep at most`}`);
console.log(`low memory unused: stack from ${init.value} down${bound === null ? "" : ` (${bound} B deep at most)`}, ${count} data segments from ${LOW} up`);
module.dispose();
