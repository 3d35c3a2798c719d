// Numbers each function's declared locals in the order that gzips the module
// smallest (issue 26, helper gzc). Locals of one type are interchangeable
// (each starts at zero, and only local.get/set/tee name them), so any
// permutation inside one run of the locals' declaration is the same
// program; parameters keep their numbers. Greedy: in each function, every
// swap of two locals of one run is kept if the whole module then gzips
// smaller (Node's zlib -9, as benches/sizes.mjs), for ROUNDS rounds or until
// one gains nothing. Before the function order step: page wasm -188 B
// gzip, full -1,287 (shipped, after that step: page -193, full -774).
// binaryen's --reorder-locals numbers them by count, which LEB widths need,
// not gzip; numbering by first use instead was +93 B on the page. Every index must stay one byte (under 128), so no size
// moves. Checked from binaryen's reading: each function's text, its local
// references named back through the permutation, must be the old one.
// Deterministic.
// --moves: also each local taken out of its place and put at another of
// its run, the ones between shifted (finds a rotation no single swap
// undoes; on the page nothing more after swaps). --ties: a try that leaves
// the gzip as it was is kept too, so the later ones start elsewhere (page
// after the function order -21 B in six rounds). --estimate: a try is
// gzipped whole only if it first shrinks its function's neighbourhood
// (full build: three rounds find more than one round without, in about a
// third of the time; helper mv62).
//   node scripts/order-locals.mjs MODULE.wasm [ROUNDS] [--moves] [--ties] [--estimate]
import { readFileSync, writeFileSync } from "node:fs";
import { deflateRawSync, gzipSync } from "node:zlib";
import { classifyWasm } from "./gzip-cost.mjs";
import { uleb } from "./leb.mjs";
import { text } from "./check-order.mjs";

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith("--"));
const [path, roundsArg = "3"] = args.filter((a) => !a.startsWith("--"));
const rounds = Number(roundsArg);
const moves = flags.includes("--moves");
const estimate = flags.includes("--estimate");
const ties = flags.includes("--ties");
if (flags.some((f) => !["--moves", "--estimate", "--ties"].includes(f))) {
  console.error(`order-locals.mjs: unknown flag in ${flags.join(" ")}`);
  process.exit(1);
}
const before = readFileSync(path);
const buf = Buffer.from(before);
const fail = (why) => {
  console.error(`${path}: locals not reordered: ${why}`);
  process.exit(1);
};

// Each body's locals declaration and local index bytes; each function's type.
const fns = [];
let types, funcTypes;
try {
  classifyWasm(buf, (a, b, cls, fn) => {
    if (fn === undefined) return;
    fns[fn] ??= { decl: a, refs: [], end: b };
    fns[fn].end = Math.max(fns[fn].end, b);
    if (cls === "locals decl") fns[fn].decl = a;
    if (cls.startsWith("local index")) {
      if (b - a !== 1) throw new Error(`a local index of ${b - a} bytes at byte ${a}`);
      fns[fn].refs.push(a);
    }
  });
  ({ types, funcTypes } = signatures(buf));
} catch (e) {
  fail(e.message);
}
if (funcTypes.length !== fns.length) fail("the function and code sections disagree");

function signatures(m) {
  let p = 8;
  const u = () => {
    let v;
    [v, p] = uleb(m, p);
    return v;
  };
  const params = [];
  const of = [];
  while (p < m.length) {
    const id = m[p++];
    const end = u() + p;
    if (id === 1) {
      for (let n = u(); n--; ) {
        if (m[p++] !== 0x60) throw new Error("a type that is not a function's");
        const np = u();
        p += np;
        const results = u();
        p += results;
        params.push(np);
      }
    } else if (id === 3) for (let n = u(); n--; ) of.push(u());
    p = end;
  }
  return { types: params, funcTypes: of };
}

// The runs of one type among a function's locals: [first, end) indices.
function runs(fn) {
  let p = fns[fn].decl;
  const u = () => {
    let v;
    [v, p] = uleb(buf, p);
    return v;
  };
  const out = [];
  let at = types[funcTypes[fn]];
  for (let n = u(); n--; ) {
    const count = u();
    p++;
    if (count > 1) out.push([at, at + count]);
    at += count;
  }
  if (at > 128) throw new Error(`function ${fn} has ${at} locals`);
  return out;
}

// The tries in one run [lo, hi): every swap of two locals, then with
// --moves every move of one to another place (the ones between shift by
// one; a move to the next place is a swap). Each as the first and last
// index it renumbers and the new index of each.
function* tries(lo, hi) {
  for (let x = lo; x < hi; x++) for (let y = x + 1; y < hi; y++) yield [x, y, (i) => (i === x ? y : i === y ? x : i)];
  if (!moves) return;
  for (let x = lo; x < hi; x++)
    for (let y = lo; y < hi; y++) {
      if (x < y - 1) yield [x, y, (i) => (i === x ? y : i - 1)];
      else if (y < x - 1) yield [y, x, (i) => (i === x ? y : i + 1)];
    }
}

const size = () => gzipSync(buf, { level: 9 }).length;
// --estimate: a try is gzipped whole only if it shrinks the function's
// body and the 2 KiB after it, deflated after the 32 KiB before it (zlib's
// window, as a dictionary); only the whole module's size keeps a try.
const near = (fn) => {
  const at = fns[fn].decl;
  const dictionary = buf.subarray(Math.max(0, at - 32768), at);
  return () => deflateRawSync(buf.subarray(at, Math.min(buf.length, fns[fn].end + 2048)), { level: 9, dictionary }).length;
};
const start = size();
let best = start;
// perm[fn][new] = old, for the check.
const perm = fns.map(() => new Map());
try {
  for (let round = 0; round < rounds; round++) {
    const was = best;
    for (let fn = 0; fn < fns.length; fn++) {
      const { refs } = fns[fn];
      const guess = estimate ? near(fn) : () => 0;
      let guessed = estimate ? guess() : 1;
      for (const [lo, hi] of runs(fn))
        for (const [a, b, to] of tries(lo, hi)) {
          const at = refs.filter((r) => buf[r] >= a && buf[r] <= b && to(buf[r]) !== buf[r]);
          if (!at.length) continue;
          const old = at.map((r) => buf[r]);
          for (const r of at) buf[r] = to(buf[r]);
          const g = guess();
          const s = g < guessed ? size() : Infinity;
          if (s < best || (ties && s === best)) {
            best = s;
            guessed = estimate ? g : 1;
            const next = [];
            for (let i = a; i <= b; i++) next.push([to(i), perm[fn].get(i) ?? i]);
            for (const [n, o] of next) perm[fn].set(n, o);
          } else at.forEach((r, k) => (buf[r] = old[k]));
        }
    }
    if (best === was) break;
  }
} catch (e) {
  fail(e.message);
}

// binaryen's text of each function, split at its `(func` lines.
const funcs = (wat) => wat.split(/\n(?= \(func )/);
const old = funcs(text(path));
// Each permutation also checked against binaryen's reading of the declarations
// (review 146): it moves only declared locals, never a parameter, each to one
// of its own type, and is one to one (review 148); the search's runs are not trusted.
const declared = (part) => {
  const kinds = new Map();
  const head = part.split("\n")[0];
  for (const [, n] of head.matchAll(/\(param \$(\d+) /g)) kinds.set(Number(n), "param");
  for (const [, n, t] of part.matchAll(/^ {2}\(local \$(\d+) (\w+)\)$/gm)) kinds.set(Number(n), t);
  return kinds;
};
const unsound = old.some((part, i) => {
  const m = perm[i - 1];
  if (i === 0 || !m || !m.size) return false;
  const kinds = declared(part);
  // One to one, onto the locals it names (review 148): a map taking two new locals to one old one names a local
  // split in two back to the old text.
  const olds = new Set(m.values());
  if (olds.size !== m.size || [...olds].some((o) => !m.has(o))) return true;
  return [...m].some(([n, o]) => !kinds.has(n) || kinds.get(n) === "param" || kinds.get(n) !== kinds.get(o));
});
if (unsound) fail("a permutation is not one to one, moves a parameter or mixes types in binaryen's reading");
writeFileSync(path, buf);
let now;
try {
  now = funcs(text(path));
} catch (e) {
  writeFileSync(path, before);
  fail(e.message);
}
const back = now.map((part, i) => {
  const fn = i - 1; // part 0 is the text before the first function
  const m = perm[fn];
  if (!m || !m.size) return part;
  return part.replace(/\(local\.(get|set|tee) \$(\d+)/g, (_, op, n) => `(local.${op} $${m.get(Number(n)) ?? n}`);
});
if (old.length !== now.length || back.some((part, i) => part !== old[i])) {
  writeFileSync(path, before);
  fail("binaryen reads another program once the locals are named back");
}
console.log(`local order: gzip ${start} -> ${best} B`);
