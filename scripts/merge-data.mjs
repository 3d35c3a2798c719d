// Joins a module's data segments that lie less than GAP bytes apart into
// one, the bytes between them written as the zeros memory starts with.
// wasm-opt's memory-packing cuts the static data at each run of zeros
// (the page's 9 segments, 119 zero bytes apart in all; the full build's
// 40): each segment's header (its address) gzips worse than the zeros it
// skips. Page wasm -38 B gzip (+48 raw), full -152 (+878 raw); the full
// build's 16 KB run of zeros stays a gap. Memory's initial contents are
// the same byte for byte (checked here before writing). Exits 1, writing
// nothing, for a module that does not validate, or a segment it does not
// read: passive, another memory's, an address that is not one `i32.const`,
// or two that overlap.
//   node scripts/merge-data.mjs MODULE.wasm
import { readFileSync, writeFileSync } from "node:fs";
import { toUleb } from "./leb.mjs";

const GAP = 1024;
const path = process.argv[2];
const bytes = readFileSync(path);
const fail = (why) => {
  console.error(`${path}: data segments not joined: ${why}`);
  process.exit(1);
};
const uleb = (at) => {
  let value = 0, shift = 0, byte;
  do {
    byte = bytes[at++];
    value += (byte & 127) * 2 ** shift;
    shift += 7;
  } while (byte & 128);
  return [value, at];
};
const sleb32 = (at) => {
  let value = 0, shift = 0, byte;
  do {
    byte = bytes[at++];
    value |= (byte & 127) << shift;
    shift += 7;
  } while (byte & 128 && shift < 35);
  if (byte & 128) fail("an address past 32 bits");
  if (shift < 32 && byte & 64) value |= -1 << shift;
  return [value >>> 0, at];
};
const toSleb32 = (value) => {
  value |= 0;
  const out = [];
  for (;;) {
    const byte = value & 127;
    value >>= 7;
    if ((value === 0 && !(byte & 64)) || (value === -1 && byte & 64)) return [...out, byte];
    out.push(byte | 128);
  }
};

if (bytes.readUInt32LE(0) !== 0x6d736100 || bytes.readUInt32LE(4) !== 1) fail("not a wasm module");
// The sections, as [id, start, start of body, end].
const sections = [];
for (let at = 8; at < bytes.length; ) {
  const [size, start] = uleb(at + 1);
  sections.push([bytes[at], at, start, start + size]);
  at = start + size;
}
// A name section's data names would name the old segments.
if (sections.some(([id]) => id === 0)) fail("it has a custom section");
const data = sections.find(([id]) => id === 11);
if (!data) process.exit(0);
let [count, at] = uleb(data[2]);
const segments = [];
for (let i = 0; i < count; i++) {
  // Flag 0: active, memory 0, its address a constant expression.
  if (bytes[at] !== 0 || bytes[at + 1] !== 0x41) fail(`segment ${i} is not active at an i32.const`);
  const [address, end] = sleb32(at + 2);
  if (bytes[end] !== 0x0b) fail(`segment ${i}'s address is not one i32.const`);
  const [length, start] = uleb(end + 1);
  segments.push({ address, bytes: bytes.subarray(start, start + length) });
  at = start + length;
}
if (at !== data[3]) fail("the data section has bytes past its segments");
// Only a valid module: an address read above is then a canonical number
// (an over-long one was read wrapped to 0: review 129 M).
try {
  new WebAssembly.Module(bytes);
} catch (error) {
  fail(`not a valid module (${error.message})`);
}
segments.sort((a, b) => a.address - b.address);
const joined = [];
for (const segment of segments) {
  const last = joined.at(-1);
  const end = last ? last.address + last.length : 0;
  if (last && segment.address < end) fail(`segments overlap at ${segment.address}`);
  if (last && segment.address - end < GAP) {
    last.parts.push(segment);
    last.length = segment.address + segment.bytes.length - last.address;
  } else {
    joined.push({ address: segment.address, length: segment.bytes.length, parts: [segment] });
  }
}
const body = [Uint8Array.from(toUleb(joined.length))];
const images = [];
for (const { address, length, parts } of joined) {
  const image = new Uint8Array(length);
  for (const part of parts) image.set(part.bytes, part.address - address);
  images.push({ address, image });
  body.push(Uint8Array.from([0, 0x41, ...toSleb32(address), 0x0b, ...toUleb(length)]), image);
}
// The same initial memory: every original byte where it was, zeros between.
for (const { address, bytes: original } of segments) {
  const { address: base, image } = images.findLast((j) => j.address <= address);
  if (!original.every((byte, i) => image[address - base + i] === byte)) fail(`segment at ${address} changed`);
}
const zeros = images.reduce((sum, j) => sum + j.image.length, 0) - segments.reduce((sum, s) => sum + s.bytes.length, 0);
const section = (id, content) => Buffer.concat([Uint8Array.from([id, ...toUleb(content.length)]), content]);
const out = [bytes.subarray(0, 8)];
for (const [id, from, , end] of sections) {
  if (id === 11) out.push(section(11, Buffer.concat(body)));
  // The data count section (bulk memory) says how many segments follow.
  else if (id === 12) out.push(section(12, Uint8Array.from(toUleb(joined.length))));
  else out.push(bytes.subarray(from, end));
}
const result = Buffer.concat(out);
new WebAssembly.Module(result);
writeFileSync(path, result);
console.log(`data segments: ${segments.length} joined into ${joined.length} (${zeros} zero bytes between)`);
