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
//   node scripts/order-locals.mjs MODULE.wasm [ROUNDS]
import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { classifyWasm } from "./gzip-cost.mjs";
import { uleb } from "./leb.mjs";
import { text } from "./check-order.mjs";

const [path, roundsArg = "3"] = process.argv.slice(2);
const rounds = Number(roundsArg);
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
    fns[fn] ??= { decl: a, refs: [] };
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

const size = () => gzipSync(buf, { level: 9 }).length;
const start = size();
let best = start;
// perm[fn][new] = old, for the check.
const perm = fns.map(() => new Map());
try {
  for (let round = 0; round < rounds; round++) {
    const was = best;
    for (let fn = 0; fn < fns.length; fn++) {
      const { refs } = fns[fn];
      for (const [lo, hi] of runs(fn))
        for (let x = lo; x < hi; x++)
          for (let y = x + 1; y < hi; y++) {
            const at = refs.filter((r) => buf[r] === x || buf[r] === y);
            if (!at.length) continue;
            for (const r of at) buf[r] ^= x ^ y;
            const s = size();
            if (s < best) {
              best = s;
              const px = perm[fn].get(x) ?? x;
              perm[fn].set(x, perm[fn].get(y) ?? y);
              perm[fn].set(y, px);
            } else for (const r of at) buf[r] ^= x ^ y;
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
// of its own type; the search's runs are not trusted.
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
  return [...m].some(([n, o]) => !kinds.has(n) || kinds.get(n) === "param" || kinds.get(n) !== kinds.get(o));
});
if (unsound) fail("a permutation moves a parameter or mixes types in binaryen's reading");
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
