// Checks what wasm-opt's --low-memory-unused assumes of a module (the
// first 1 KiB of memory is never read or written, so a constant added to
// an address can fold into the load's offset): every active data segment
// starts at 1 KiB or later, and the stack (which grows down from the first
// global, __stack_pointer) starts at 64 KiB or later, so it reaches low
// memory only after overflowing 63 KiB of its own. The heap comes after the
// data (memory the allocators grow). The module is read with binaryen's own
// reader, the wasm-opt build steps use. Exits 1 with the reason otherwise.
//   node scripts/low-memory.mjs MODULE.wasm
import { readFileSync } from "node:fs";
import binaryen from "binaryen";

const LOW = 1024;
const STACK_MIN = 65536;
const path = process.argv[2];
const module = binaryen.readBinary(readFileSync(path));
const fail = (why) => {
  console.error(`${path}: --low-memory-unused does not hold: ${why}`);
  process.exit(1);
};

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
if (init?.id !== binaryen.ConstId || !(init.value >= STACK_MIN)) fail(`the stack starts at ${init?.value ?? "an unknown address"}`);
console.log(`low memory unused: stack from ${init.value} down, ${count} data segments from ${LOW} up`);
module.dispose();
