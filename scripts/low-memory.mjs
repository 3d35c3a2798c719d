// Checks what wasm-opt's --low-memory-unused assumes of a module (the
// first 1 KiB of memory is never read or written, so a constant added to
// an address can fold into the load's offset): every data segment starts
// at 1 KiB or later, and the stack (which grows down from the first global,
// __stack_pointer) starts at 64 KiB or later, so it reaches low memory only
// after overflowing 63 KiB of its own. The heap comes after the data
// (memory the allocators grow). Exits 1 with the reason otherwise.
//   node scripts/low-memory.mjs MODULE.wasm
import { readFileSync } from "node:fs";

const LOW = 1024;
const STACK_MIN = 65536;
const bytes = readFileSync(process.argv[2]);
let at = 8;
const byte = () => bytes[at++];
// Skips a length-prefixed run (a name, a segment's bytes): its length is
// read first, then `at` moves past it.
const skip = () => {
  const length = leb();
  at += length;
};
function leb() {
  let value = 0, shift = 0, b;
  do {
    b = byte();
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return value;
}
// A constant i32 expression (i32.const, then end): its value; else null.
function constant() {
  if (byte() !== 0x41) return null;
  let value = 0, shift = 0, b;
  do {
    b = byte();
    value |= (b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  if (shift < 32 && b & 0x40) value |= -1 << shift;
  return byte() === 0x0b ? value : null;
}
const fail = (why) => {
  console.error(`${process.argv[2]}: --low-memory-unused does not hold: ${why}`);
  process.exit(1);
};

let stack = null, segments = 0;
while (at < bytes.length) {
  const id = byte();
  const size = leb();
  const end = at + size;
  if (id === 2) {
    // Imports: a memory given from outside could be laid out otherwise.
    for (let n = leb(); n > 0; n--) {
      skip();
      skip();
      const kind = byte();
      if (kind === 2) fail("the memory is imported");
      if (kind === 0) leb();
      else if (kind === 1) at++, byte() & 1 ? (leb(), leb()) : leb();
      else if (kind === 3) at += 2;
      else fail(`an import of kind ${kind}`);
    }
  } else if (id === 6 && leb() > 0) {
    at += 2; // type, mutability
    stack = constant();
  } else if (id === 11) {
    for (let n = leb(); n > 0; n--, segments++) {
      const flags = leb();
      if (flags === 1) {
        skip(); // passive: copied where the code says
        continue;
      }
      if (flags === 2) leb();
      const offset = constant();
      if (offset === null || offset < LOW) fail(`a data segment at ${offset ?? "a computed offset"}`);
      skip();
    }
  }
  at = end;
}
if (stack === null || stack < STACK_MIN) fail(`the stack starts at ${stack ?? "an unknown address"}`);
console.log(`low memory unused: stack from ${stack} down, ${segments} data segments from ${LOW} up`);
