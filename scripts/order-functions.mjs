// Puts a module's function bodies in the order that gzips smallest (Node's
// zlib at -9, what benches/sizes.mjs measures): the link's order is not
// chosen for gzip, and a body next to one it shares bytes with compresses
// better. The search: each function in turn moved to the place (within
// WINDOW places of its own) where the whole module gzips smallest, if
// smaller; PASSES such rounds at most. With CHECKED, only the CHECKED
// places a local estimate ranks smallest are gzipped whole (the estimate:
// the bodies between the move's places, compressed after the 32 KiB before
// them; a tenth of the whole module's time). Page wasm from the link's
// order: one round -128 B, two -155, three -165 (45138d1's; 9c13902's: two
// -152, three -156, four -161, the types then -4 more). Full wasm
// (77b5c97's): two rounds within 16 places -729 B in ~2 min of CPU; the
// estimate's first 4 within 32, -888 in ~50 s. Deterministic: no
// randomness, the first best place wins (with CHECKED, in the estimate's
// rank), the same with or without the worker; the result follows Node's
// zlib (another zlib may pick another order, as valid). Only function
// indices change (with --types, type indices too): calls, exports and element segments renumbered, every
// other byte kept. Keeps the module as it is, with a warning, for anything
// it does not read (a custom section, a start function, a tag section, a non-function
// import, an element segment of another form, a global of a reference
// type, a table with an initialiser, a typed reference's type, an unknown
// instruction), and checks before writing that the new module validates and maps back to the
// old one byte for byte.
// --order=FILE: the order written there as JSON (order[new index] = old
// index), for scripts/check-order.mjs; not written if the order is kept.
// --swaps: each function also swapped with each other one within WINDOW
// places (page wasm -9 B for twice the time: 77b5c97's).
// --types: then the type section's order searched the same way (every
// place, until a round gains nothing), its indices renumbered in the
// functions', the imports', call_indirect's and the blocks' types.
// --reversed: the search starts from the link order reversed (the full
// build: it lands lower from there, helper ns58); the result is still kept
// only if it gzips smaller than the link order.
//   node scripts/order-functions.mjs [--order=FILE] [--types] [--swaps] [--reversed] MODULE.wasm [PASSES (2) [WINDOW (all) [CHECKED (all)]]]
import { readFileSync, writeFileSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import { availableParallelism } from "node:os";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { toUleb } from "./leb.mjs";

const args = process.argv.slice(2);
const orderFile = args[0]?.startsWith("--order=") ? args.shift().slice(8) : null;
const typesToo = args[0] === "--types" && Boolean(args.shift());
const swaps = args[0] === "--swaps" && Boolean(args.shift());
const reversed = args[0] === "--reversed" && Boolean(args.shift());
const [path, passes = 2, window = Infinity, checked = Infinity] = args.map((arg, i) => (i ? Number(arg) : arg));
const original = isMainThread ? readFileSync(path) : null;
class Unread extends Error {}
const uleb = (bytes, at) => {
  let value = 0, shift = 0, byte;
  do {
    byte = bytes[at++];
    if (byte === undefined || shift > 28) throw new Unread("a number past the module's end or 32 bits");
    value += (byte & 127) * 2 ** shift;
    shift += 7;
  } while (byte & 128);
  return [value, at];
};
// Past a number of any width (an i64.const's takes up to 10 bytes).
const skip = (bytes, at) => {
  while (bytes[at] & 128) at++;
  if (at >= bytes.length) throw new Unread("a number past the module's end");
  return at + 1;
};

// A block type's index is signed (s33): a last byte with bit 6 set would
// read as negative, so a zero byte follows it.
const toSleb = (value) => {
  const out = [...toUleb(value)];
  if (out.at(-1) & 64) out.push(0), (out[out.length - 2] |= 128);
  return Uint8Array.from(out);
};
const sleb = (bytes, at) => {
  const [value, next] = uleb(bytes, at);
  if (bytes[next - 1] & 64) throw new Unread("a negative block type");
  return [value, next];
};

// Reads what a reordering needs: the sections, each function's type and
// its body cut at every function and type index it holds, the types, and
// each import's type.
function read(bytes) {
  if (bytes.readUInt32LE(0) !== 0x6d736100 || bytes.readUInt32LE(4) !== 1) throw new Unread("not a wasm module");
  const sections = [];
  for (let at = 8; at < bytes.length; ) {
    const [size, start] = uleb(bytes, at + 1);
    sections.push({ id: bytes[at], from: at, start, end: start + size });
    at = start + size;
  }
  // A name section names functions by index; a start function is one; a
  // tag names a type by index, copied as it is (review 143).
  for (const [id, what] of [[0, "a custom section"], [8, "a start function"], [13, "a tag section"]]) {
    if (sections.some((s) => s.id === id)) throw new Unread(`it has ${what}`);
  }
  const section = (id) => sections.find((s) => s.id === id) ?? { start: 0, end: 0, none: true };
  const imports = section(2), functions = section(3), code = section(10), exports = section(7), elements = section(9), typeSection = section(1);
  if (functions.none || code.none) throw new Unread("no functions");
  // Each type's bytes (only function types).
  const signatures = [];
  let at;
  if (!typeSection.none) {
    let n;
    [n, at] = uleb(bytes, typeSection.start);
    for (let i = 0; i < n; i++) {
      if (bytes[at] !== 0x60) throw new Unread("a type that is not a function's");
      const from = at;
      // Parameters, then results: number types and funcref/externref only
      // (one byte each).
      for (let list = 0; list < 2; list++) {
        const [length, next] = uleb(bytes, at + (list ? 0 : 1));
        at = next + length;
        if (bytes.subarray(next, at).some((t) => !(t >= 0x7b || t === 0x70 || t === 0x6f))) throw new Unread("a type of a parameter or result not read");
      }
      signatures.push(bytes.subarray(from, at));
    }
    if (at !== typeSection.end) throw new Unread("bytes past the last type");
  }
  // Imported functions keep the first indices; each one's bytes before its
  // type, and the type.
  let imported = 0;
  const importTypes = [];
  if (!imports.none) {
    let n;
    [n, at] = uleb(bytes, imports.start);
    for (let i = 0; i < n; i++) {
      for (let names = 0; names < 2; names++) {
        const [length, name] = uleb(bytes, at);
        at = name + length;
      }
      if (bytes[at] !== 0) throw new Unread("an import that is not a function");
      const [type, next] = uleb(bytes, at + 1);
      importTypes.push({ to: at + 1, type, next });
      at = next;
      imported++;
    }
    if (at !== imports.end) throw new Unread("bytes past the last import");
  }
  // Each element segment: its bytes before the functions, and the functions
  // (only the form `table 0, an offset, function indices`).
  const segments = [];
  if (!elements.none) {
    let n;
    [n, at] = uleb(bytes, elements.start);
    for (let i = 0; i < n; i++) {
      if (bytes[at] !== 0 || bytes[at + 1] !== 0x41) throw new Unread("an element segment of another form");
      const offset = skip(bytes, at + 2);
      if (bytes[offset] !== 0x0b) throw new Unread("an element segment's offset that is not one i32.const");
      let [length, next] = uleb(bytes, offset + 1);
      const head = bytes.subarray(at, offset + 1), indices = [];
      for (let k = 0; k < length; k++) {
        const [index, after] = uleb(bytes, next);
        indices.push(index);
        next = after;
      }
      segments.push({ head, indices });
      at = next;
    }
    if (at !== elements.end) throw new Unread("bytes past the last element segment");
  }
  // Globals and tables are copied as they are: a `ref.func` in an
  // initialiser would keep its old index (review 141 A). So only globals of
  // a number type (initialisers of constants, global.get and extended
  // constants' arithmetic) and tables without an initialiser.
  const globals = section(6), tables = section(4);
  if (!globals.none) {
    let n;
    [n, at] = uleb(bytes, globals.start);
    for (let i = 0; i < n; i++) {
      if (!(bytes[at] >= 0x7c && bytes[at] <= 0x7f)) throw new Unread("a global not of a number type");
      at += 2;
      for (let op; (op = bytes[at++]) !== 0x0b; ) {
        if (op === 0x41 || op === 0x42 || op === 0x23) at = skip(bytes, at);
        else if (op === 0x43 || op === 0x44) at += op === 0x43 ? 4 : 8;
        else if (!(op === 0x6a || op === 0x6b || op === 0x6c || op === 0x7c || op === 0x7d || op === 0x7e)) throw new Unread("a global's initialiser");
      }
    }
    if (at !== globals.end) throw new Unread("bytes past the last global");
  }
  if (!tables.none) {
    let n;
    [n, at] = uleb(bytes, tables.start);
    for (let i = 0; i < n; i++) {
      if (bytes[at] !== 0x70 && bytes[at] !== 0x6f) throw new Unread("a table with an initialiser or of a typed reference");
      const [flags, min] = uleb(bytes, at + 1);
      at = flags & 1 ? skip(bytes, skip(bytes, min)) : skip(bytes, min);
    }
    if (at !== tables.end) throw new Unread("bytes past the last table");
  }
  let count;
  [count, at] = uleb(bytes, functions.start);
  const types = [];
  for (let i = 0; i < count; i++) {
    let type;
    [type, at] = uleb(bytes, at);
    types.push(type);
  }
  let bodies;
  [bodies, at] = uleb(bytes, code.start);
  if (bodies !== count || at > code.end) throw new Unread("function and code counts differ");
  const cut = [];
  for (let i = 0; i < count; i++) {
    const [size, start] = uleb(bytes, at);
    const end = (at = start + size);
    cut.push(cutBody(bytes, start, end));
  }
  if (at !== code.end) throw new Unread("bytes past the last body");
  // Each export: the bytes before its index, and the index if a function's.
  const exported = [];
  if (!exports.none) {
    let n;
    [n, at] = uleb(bytes, exports.start);
    for (let i = 0; i < n; i++) {
      const [length, name] = uleb(bytes, at);
      const kind = bytes[name + length];
      const [index, next] = uleb(bytes, name + length + 1);
      exported.push({ from: at, to: name + length + 1, index: kind === 0 ? index : null, next });
      at = next;
    }
    if (at !== exports.end) throw new Unread("bytes past the last export");
  }
  return { bytes, sections, signatures, importTypes, types, cut, exported, segments, imported, count };
}

// Past a value type of one byte (a number, v128, funcref, externref, or a
// one-byte reference); refuses a typed reference (0x63, 0x64 and a type's
// index, GC's), whose bytes it would misread (review 141 B).
function oneByteType(bytes, at, what) {
  if (!(bytes[at] >= 0x6f && bytes[at] <= 0x7f)) throw new Unread(`${what} of type 0x${bytes[at]?.toString(16)}`);
  return at + 1;
}

// A body's bytes between the indices it holds, and those indices: each a
// function's (call, return_call, ref.func: kind "f"), a type's (call_indirect,
// return_call_indirect: "t") or a block's type ("b", a signed number). Every
// instruction is read to find them.
function cutBody(bytes, start, end) {
  let [groups, at] = uleb(bytes, start);
  for (let g = 0; g < groups; g++) at = oneByteType(bytes, skip(bytes, at), "a local");
  const pieces = [], refs = [];
  let last = start;
  const index = (kind, [value, next]) => {
    pieces.push(bytes.subarray(last, at));
    refs.push({ kind, value });
    return (last = next);
  };
  while (at < end) {
    const op = bytes[at++];
    if (op === 0x02 || op === 0x03 || op === 0x04) {
      // Empty, one value type, or a type's index (a typed reference's
      // bytes, GC's, are not read).
      const type = bytes[at];
      if (type === 0x40 || (type >= 0x6f && type <= 0x7f)) at += 1;
      else if ((type & 0xc0) === 0x40) throw new Unread(`block type 0x${type.toString(16)}`);
      else at = index("b", sleb(bytes, at));
    } else if (op === 0x0c || op === 0x0d || (op >= 0x20 && op <= 0x26) || (op >= 0x3f && op <= 0x42)) {
      at = skip(bytes, at);
    } else if (op === 0x0e) {
      const [targets, next] = uleb(bytes, at);
      at = next;
      for (let k = 0; k <= targets; k++) at = skip(bytes, at);
    } else if (op === 0x10 || op === 0x12 || op === 0xd2) {
      at = index("f", uleb(bytes, at));
    } else if (op === 0x11 || op === 0x13) {
      at = skip(bytes, index("t", uleb(bytes, at)));
    } else if (op >= 0x28 && op <= 0x3e) {
      // Alignment, offset; with bit 6 a memory's index between (multi-memory).
      if (bytes[at] & 0x40) throw new Unread("a load or store of another memory");
      at = skip(bytes, skip(bytes, at));
    } else if (op === 0x1c) {
      const [types, next] = uleb(bytes, at);
      at = next;
      for (let k = 0; k < types; k++) at = oneByteType(bytes, at, "a select");
    } else if (op === 0x43 || op === 0x44) {
      at += op === 0x43 ? 4 : 8;
    } else if (op === 0xd0) {
      // A heap type: an abstract one is one byte (a negative s33); a type's
      // index (GC's) would need renumbering under --types: refused.
      if (!(bytes[at] >= 0x40 && bytes[at] <= 0x7f)) throw new Unread("a ref.null of a type's index");
      at += 1;
    } else if (op === 0xfc) {
      const [sub, next] = uleb(bytes, at);
      at = next;
      if (sub === 8 || sub === 10 || sub === 12 || sub === 14) at = skip(bytes, skip(bytes, at));
      else if (sub >= 9 && sub <= 17) at = skip(bytes, at);
      else if (sub > 7) throw new Unread(`instruction 0xfc ${sub}`);
    } else if (!(op <= 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x1a || op === 0x1b || op === 0xd1 || (op >= 0x45 && op <= 0xc4))) {
      throw new Unread(`instruction 0x${op.toString(16)}`);
    }
  }
  if (at !== end || bytes[end - 1] !== 0x0b) throw new Unread("a body that does not end where its size says");
  pieces.push(bytes.subarray(last, end));
  return { pieces, refs };
}

// The module with its functions in `order` (order[new index] = old index),
// and its types in `typeOrder` (the same; as they are if not given).
function write({ bytes, sections, signatures, importTypes, types, cut, exported, segments, imported, count }, order, typeOrder = null) {
  const placed = new Array(count), typePlaced = [];
  order.forEach((old, i) => (placed[old] = i));
  typeOrder?.forEach((old, i) => (typePlaced[old] = i));
  const place = (index) => (index < imported ? index : imported + placed[index - imported]);
  const typePlace = (index) => (typeOrder ? typePlaced[index] : index);
  const renumber = { f: (i) => toUleb(place(i)), t: (i) => toUleb(typePlace(i)), b: (i) => toSleb(typePlace(i)) };
  const out = [bytes.subarray(0, 8)];
  const section = (id, parts) => {
    const content = Buffer.concat(parts);
    out.push(Uint8Array.from([id]), toUleb(content.length), content);
  };
  for (const { id, from, start, end } of sections) {
    if (id === 1 && typeOrder) section(1, [toUleb(signatures.length), ...typeOrder.map((old) => signatures[old])]);
    else if (id === 2 && typeOrder) {
      const parts = [bytes.subarray(start, importTypes[0]?.to ?? end)];
      importTypes.forEach(({ type, next }, k) => parts.push(toUleb(typePlace(type)), bytes.subarray(next, importTypes[k + 1]?.to ?? end)));
      section(2, parts);
    } else if (id === 3) section(3, [toUleb(count), ...order.map((old) => toUleb(typePlace(types[old])))]);
    else if (id === 10) {
      const parts = [toUleb(count)];
      for (const old of order) {
        const { pieces, refs } = cut[old];
        const body = [pieces[0]];
        refs.forEach(({ kind, value }, k) => body.push(renumber[kind](value), pieces[k + 1]));
        const joined = Buffer.concat(body);
        parts.push(toUleb(joined.length), joined);
      }
      section(10, parts);
    } else if (id === 7) {
      const parts = [bytes.subarray(start, exported[0]?.from ?? end)];
      for (const { from, to, index, next } of exported) {
        parts.push(bytes.subarray(from, to), index === null ? bytes.subarray(to, next) : toUleb(place(index)));
      }
      section(7, parts);
    } else if (id === 9) {
      const parts = [toUleb(segments.length)];
      for (const { head, indices } of segments) parts.push(head, toUleb(indices.length), ...indices.map((i) => toUleb(place(i))));
      section(9, parts);
    } else out.push(bytes.subarray(from, end));
  }
  return Buffer.concat(out);
}

// `order` with the function at `now` moved to `place` among the others;
// a place below 0, ~j, swaps it with the function at j.
function moved(order, now, place) {
  if (place < 0) {
    const out = [...order];
    [out[now], out[~place]] = [out[~place], out[now]];
    return out;
  }
  const rest = [...order.slice(0, now), ...order.slice(now + 1)];
  return [...rest.slice(0, place), order[now], ...rest.slice(place)];
}

// The estimate's module: the bodies as they are, their calls not
// renumbered, so a move changes only the bytes between its two places;
// each body with its size, and the bytes before and after them.
function local(module) {
  const { bytes, sections, cut } = module;
  const code = sections.find((s) => s.id === 10);
  const sized = cut.map(({ pieces, refs }) => {
    const parts = [pieces[0]];
    refs.forEach(({ value }, k) => parts.push(toUleb(value), pieces[k + 1]));
    const body = Buffer.concat(parts);
    return Buffer.concat([toUleb(body.length), body]);
  });
  return { sized, head: bytes.subarray(0, uleb(bytes, code.start)[1]), after: bytes.subarray(code.end) };
}

// The gzip size after each move of the function at `now` to `places`: of
// the whole module; or, with `near` ([a, b], the places any of the moves
// touches), an estimate: those bodies of the estimate's module compressed
// after the 32 KiB before them (zlib's window, as a dictionary) and with
// the 2 KiB after them. A tenth of the time of the whole module's in the
// full build; it ranks moves, the whole module's size decides.
function sizes(module, order, now, places, near) {
  if (!near) return places.map((i) => deflateRawSync(write(module, moved(order, now, i)), { level: 9 }).length);
  const [a, b] = near, { sized, head, after } = module.local;
  const before = [], tail = [];
  let n = 0;
  for (let p = a - 1; p >= 0 && n < 32768; p--) before.unshift(sized[order[p]]), (n += sized[order[p]].length);
  if (n < 32768) before.unshift(head.subarray(Math.max(0, head.length - (32768 - n))));
  n = 0;
  for (let p = b; p < order.length && n < 2048; p++) tail.push(sized[order[p]]), (n += sized[order[p]].length);
  if (n < 2048) tail.push(after.subarray(0, 2048 - n));
  const dictionary = Buffer.concat(before);
  return places.map((i) => {
    const region = moved(order, now, i).slice(a, b).map((g) => sized[g]);
    return deflateRawSync(Buffer.concat([...region, ...tail]), { level: 9, dictionary }).length;
  });
}

// A worker (one for each core past the first, at most one more) sizes
// the second half of the moves; the answer is the same with or without it.
if (!isMainThread) {
  const module = read(readFileSync(workerData));
  module.local = local(module);
  parentPort.on("message", ({ order, now, places, near }) =>
    parentPort.postMessage(sizes(module, order, now, places, near)));
} else {
  const keep = (why) => {
    console.error(`${path}: WARNING: function order kept (${why})`);
    process.exit(0);
  };
  let module;
  try {
    new WebAssembly.Module(original);
    module = read(original);
  } catch (error) {
    keep(error instanceof Unread || error instanceof WebAssembly.CompileError ? error.message : String(error));
  }
  const link = [...Array(module.count).keys()];
  if (!write(module, link).equals(original)) keep("the module is not written back as it was");
  module.local = local(module);
  // The gzip header and trailer are the same 18 bytes for any order.
  const before = deflateRawSync(original, { level: 9 }).length;
  const worker = availableParallelism() > 1 ? new Worker(new URL(import.meta.url), { workerData: path }) : null;
  worker?.on("error", (error) => keep(`the search's worker failed: ${error.message}`));
  const both = async (order, now, places, near) => {
    const half = worker ? places.length >> 1 : places.length;
    const second = worker
      ? new Promise((done) => {
        worker.once("message", done);
        worker.postMessage({ order, now, places: places.slice(half), near });
      })
      : [];
    const first = sizes(module, order, now, places.slice(0, half), near);
    return [...first, ...(await second)];
  };
  let best = reversed ? [...link].reverse() : link;
  let bestSize = reversed ? deflateRawSync(write(module, best), { level: 9 }).length : before;
  for (let pass = 0; pass < passes; pass++) {
    const start = bestSize;
    for (let f = 0; f < module.count; f++) {
      const now = best.indexOf(f);
      const a = Math.max(0, now - window), b = Math.min(module.count, now + window + 1);
      let places = [...Array(b - a).keys()].map((k) => a + k).filter((i) => i !== now);
      // With --swaps, then each swap with a function not next to it (that
      // is a move by one place).
      if (swaps) places.push(...places.filter((j) => Math.abs(j - now) > 1).map((j) => ~j));
      // The CHECKED places the estimate ranks smallest (the first on a tie).
      if (checked < places.length) {
        const estimates = await both(best, now, places, [a, b]);
        places = places.map((i, k) => [estimates[k], k, i]).sort((x, y) => x[0] - y[0] || x[1] - y[1]).slice(0, checked).map(([, , i]) => i);
      }
      const whole = await both(best, now, places, null);
      const k = whole.indexOf(Math.min(...whole));
      if (whole[k] < bestSize) {
        best = moved(best, now, places[k]);
        bestSize = whole[k];
      }
    }
    if (bestSize === start) break;
  }
  await worker?.terminate();
  const types = [...module.signatures.keys()];
  for (let start = -1; typesToo && start !== bestSize; ) {
    start = bestSize;
    for (const t of [...types]) {
      const rest = types.filter((u) => u !== t);
      for (let i = 0; i <= rest.length; i++) {
        const order = [...rest.slice(0, i), t, ...rest.slice(i)];
        const s = deflateRawSync(write(module, best, order), { level: 9 }).length;
        if (s < bestSize) {
          bestSize = s;
          types.splice(0, types.length, ...order);
        }
      }
    }
  }
  if (bestSize >= before) keep("no order gzips smaller");
  const result = write(module, best, types);
  // Checked: it validates, and putting the functions and types back gives
  // the old bytes.
  try {
    new WebAssembly.Module(result);
    const back = new Array(module.count), typesBack = [];
    best.forEach((old, i) => (back[old] = i));
    types.forEach((old, i) => (typesBack[old] = i));
    if (!write(read(result), back, typesBack).equals(original)) keep("the new order does not map back to the old module");
  } catch (error) {
    keep(String(error.message ?? error));
  }
  if (orderFile) writeFileSync(orderFile, JSON.stringify(best));
  writeFileSync(path, result);
  console.log(`function${typesToo ? " and type" : ""} order: gzip ${before + 18} -> ${bestSize + 18} B`);
}
