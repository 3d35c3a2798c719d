// Orders the operands of commutative instructions for gzip (issue 26,
// helpers lx60, ex62). The operands of an i32/i64 add, mul, and, or, xor,
// eq or ne, of an f32/f64 eq or ne, and of a comparison mirrored with them
// (lt_s(a, b) as gt_s(b, a), le/ge alike) are the two whole expressions
// before it, found by the operand stack's heights. Where each is built only
// of instructions that push one value and have no effect (local.get,
// global.get, constants, select, loads, arithmetic, comparisons,
// conversions, and local.tee of a local the other side neither reads nor
// writes), and at most one side can trap (a load, a division, a truncation),
// their order is free: neither sees the other, and the same trap or none
// ends the function (its locals are gone then). Their bytes are swapped in
// place (a mirrored comparison's opcode with them) if the module then gzips
// smaller (Node's zlib -9, as benches/sizes.mjs). Likewise an `if` on an
// integer comparison, with an `else`: its arms exchanged and the comparison
// inverted (lt_u as ge_u, eq as ne); and a `select` on one, whose two
// values' order is free: the values exchanged, the comparison inverted.
// Greedy over the places, ROUNDS rounds or until one gains nothing; no size
// moves. Checked from binaryen's reading by the same rules on its text:
// each function's text, such operands and arms put in one canonical order
// in both, must be the old one.
// Deterministic.
//   node scripts/commute.mjs MODULE.wasm [ROUNDS]
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { classifyWasm } from "./gzip-cost.mjs";
import { text } from "./check-order.mjs";

// i32/i64 add, mul, and, or, xor, eq, ne; f32/f64 eq, ne.
const COMMUTATIVE = new Set([0x6a, 0x6c, 0x71, 0x72, 0x73, 0x46, 0x47, 0x7c, 0x7e, 0x83, 0x84, 0x85, 0x51, 0x52, 0x5b, 0x5c, 0x61, 0x62]);
// Each comparison and its mirror (lt/gt, le/ge; i32, i64 signed and unsigned, f32, f64).
const MIRROR = new Map();
const PAIRS = [0x48, 0x4a, 0x49, 0x4b, 0x4c, 0x4e, 0x4d, 0x4f, 0x53, 0x55, 0x54, 0x56, 0x57, 0x59, 0x58, 0x5a, 0x5d, 0x5e, 0x5f, 0x60, 0x63, 0x64, 0x65, 0x66];
for (let i = 0; i < PAIRS.length; i += 2) MIRROR.set(PAIRS[i], PAIRS[i + 1]).set(PAIRS[i + 1], PAIRS[i]);
// The instructions an operand may hold: values popped, and whether it can
// trap. Each pushes one value. local.tee (0x22) is checked against the
// other side.
const OPERAND = new Map();
const range = (from, to, pops, trap = false) => {
  for (let op = from; op <= to; op++) OPERAND.set(op, { pops, trap });
};
range(0x20, 0x20, 0); // local.get
range(0x22, 0x22, 1); // local.tee
range(0x23, 0x23, 0); // global.get
range(0x41, 0x44, 0); // constants
range(0x1b, 0x1b, 3); // select
range(0x28, 0x35, 1, true); // loads
range(0x45, 0x45, 1); // i32.eqz
range(0x46, 0x4f, 2);
range(0x50, 0x50, 1); // i64.eqz
range(0x51, 0x66, 2); // comparisons
range(0x67, 0x69, 1);
range(0x6a, 0x78, 2); // i32 binary
range(0x6d, 0x70, 2, true); // i32 div, rem
range(0x79, 0x7b, 1);
range(0x7c, 0x8a, 2); // i64 binary
range(0x7f, 0x82, 2, true); // i64 div, rem
range(0x8b, 0x91, 1);
range(0x92, 0x98, 2); // f32
range(0x99, 0x9f, 1);
range(0xa0, 0xa6, 2); // f64
range(0xa7, 0xc4, 1); // conversions, sign extension
range(0xa8, 0xab, 1, true); // i32.trunc_f*
range(0xae, 0xb1, 1, true); // i64.trunc_f*

// Each function's instructions: [start, end), opcode, local index.
function instructions(buf) {
  const ins = [];
  classifyWasm(buf, (a, b, cls, fn) => {
    if (fn === undefined || cls === "body size" || cls === "locals decl") return;
    if (cls === "opcode") ins.push({ a, b, op: buf[a], fn });
    else {
      const last = ins[ins.length - 1];
      last.b = b;
      if (cls.startsWith("local index")) {
        let v = 0;
        for (let i = b - 1; i > last.a; i--) v = v * 128 + (buf[i] & 127);
        last.local = v;
      }
    }
  });
  return ins;
}

// The index of the first instruction of the one operand that ends before
// ins[end], with what it reads, tees and whether it traps; null if it holds
// anything else or starts in another function.
function operand(ins, end) {
  const side = { reads: new Set(), tees: new Set(), trap: false };
  let need = 1;
  for (let i = end - 1; i >= 0 && ins[i].fn === ins[end].fn; i--) {
    const x = ins[i];
    const info = OPERAND.get(x.op);
    if (!info) return null;
    if (x.op === 0x20) side.reads.add(x.local);
    if (x.op === 0x22) side.tees.add(x.local);
    side.trap ||= info.trap;
    need += info.pops - 1;
    if (need === 0) return { start: i, ...side };
  }
  return null;
}
const apart = (p, q) => ![...p.tees].some((l) => q.reads.has(l) || q.tees.has(l));
const free = (p, q) => !(p.trap && q.trap) && apart(p, q) && apart(q, p);

// Each integer comparison and its inverse (eq/ne, lt/ge, gt/le): an `if`
// whose condition is one, with an `else`, runs the same with its arms
// exchanged and the comparison inverted; a `select` likewise with its two
// values exchanged (where their order is free, as above).
const INVERT = new Map();
const INVERSES = [0x46, 0x47, 0x48, 0x4e, 0x49, 0x4f, 0x4a, 0x4c, 0x4b, 0x4d, 0x51, 0x52, 0x53, 0x59, 0x54, 0x5a, 0x55, 0x57, 0x56, 0x58];
for (let i = 0; i < INVERSES.length; i += 2) INVERT.set(INVERSES[i], INVERSES[i + 1]).set(INVERSES[i + 1], INVERSES[i]);

// The places: two runs of bytes [a, mid) and [sep, end) that may be
// exchanged (around [mid, sep): an `else`), the byte that says which
// instruction the place is (key), and a byte (flip) to map with them.
export function places(buf) {
  const ins = instructions(buf);
  const out = [];
  for (let k = 1; k < ins.length; k++) {
    const z = ins[k];
    if (z.b - z.a !== 1) continue;
    if (COMMUTATIVE.has(z.op) || MIRROR.has(z.op)) {
      const second = operand(ins, k);
      const first = second && operand(ins, second.start);
      if (!first || !free(first, second)) continue;
      const [a, mid] = [ins[first.start].a, ins[second.start].a];
      out.push({ a, mid, sep: mid, end: z.a, key: z.a, flip: MIRROR.has(z.op) ? z.a : -1, map: MIRROR });
    }
    const cmp = ins[k - 1];
    if (z.op === 0x1b && cmp.fn === z.fn && cmp.b - cmp.a === 1 && INVERT.has(cmp.op)) {
      const cond = operand(ins, k);
      const second = cond && operand(ins, cond.start);
      const first = second && operand(ins, second.start);
      if (!first || !free(first, second)) continue;
      const [a, mid] = [ins[first.start].a, ins[second.start].a];
      out.push({ a, mid, sep: mid, end: ins[cond.start].a, key: z.a, flip: cmp.a, map: INVERT });
    }
  }
  // if ... else ... end after a comparison, neither arm empty.
  for (let k = 1; k < ins.length; k++) {
    const [cmp, z] = [ins[k - 1], ins[k]];
    if (z.op !== 0x04 || cmp.fn !== z.fn || cmp.b - cmp.a !== 1 || !INVERT.has(cmp.op)) continue;
    let depth = 0;
    let other = -1;
    let j = k + 1;
    for (; j < ins.length && ins[j].fn === z.fn; j++) {
      const op = ins[j].op;
      if (op === 0x02 || op === 0x03 || op === 0x04) depth++;
      else if (op === 0x05 && depth === 0 && ins[j].b - ins[j].a === 1) other = j;
      else if (op === 0x0b && depth-- === 0) break;
    }
    if (other < 0 || other === k + 1 || other === j - 1 || j === ins.length || ins[j].op !== 0x0b) continue;
    out.push({ a: z.b, mid: ins[other].a, sep: ins[other].b, end: ins[j].a, key: ins[j].a, flip: cmp.a, map: INVERT });
  }
  return out;
}

// Exchanges a place's two runs (mapping its flip byte) and moves the
// places inside either with their bytes.
function swap(buf, all, s) {
  const { a, mid, sep, end } = s;
  const seg = Buffer.from(buf.subarray(a, end));
  seg.subarray(sep - a).copy(buf, a);
  seg.subarray(mid - a, sep - a).copy(buf, a + end - sep);
  seg.subarray(0, mid - a).copy(buf, a + end - mid);
  if (s.flip >= 0) buf[s.flip] = s.map.get(buf[s.flip]);
  for (const t of all) {
    if (t === s || t.key < a || t.key >= end) continue;
    const by = t.key < mid ? end - mid : t.key < sep ? a + end - sep - mid : a - sep;
    for (const f of ["a", "mid", "sep", "end", "key"]) t[f] += by;
    if (t.flip >= 0) t.flip += by;
  }
  s.mid = a + end - sep;
  s.sep = s.mid + sep - mid;
}

// binaryen's text (folded: an instruction's operands are its children),
// parsed into nodes (a line, its children, whether its `)` closes it).
function tree(wat) {
  const root = { line: "", kids: [], depth: -1 };
  const stack = [root];
  for (const raw of wat.split("\n")) {
    const depth = raw.length - raw.trimStart().length;
    const line = raw.trim();
    while (stack.length > 1 && stack[stack.length - 1].depth > depth) stack.pop();
    const top = stack[stack.length - 1];
    if (line === ")" && top.depth === depth) {
      top.close = true;
      stack.pop();
      continue;
    }
    if (top.depth === depth) stack.pop();
    const node = { line, depth, kids: [] };
    stack[stack.length - 1].kids.push(node);
    stack.push(node);
  }
  return root;
}
// The same rule as the bytes', from binaryen's names: what an operand may
// hold, what can trap.
const PURE_OP =
  /^(local\.get|global\.get|[if](32|64)\.const|select|i(32|64)\.(eqz|eq|ne|[lg][te]_[su]|clz|ctz|popcnt|add|sub|mul|and|or|xor|shl|shr_[su]|rotl|rotr|wrap_i64|extend_i32_[su]|extend(8|16|32)_s|reinterpret_f(32|64))|f(32|64)\.(eq|ne|lt|gt|le|ge|abs|neg|ceil|floor|trunc|nearest|sqrt|add|sub|mul|div|min|max|copysign|convert_i(32|64)_[su]|demote_f64|promote_f32|reinterpret_i(32|64)))$/;
const TRAP_OP = /^(i(32|64)\.(div_[su]|rem_[su]|trunc_f(32|64)_[su])|[if](32|64)\.load|i(32|64)\.load(8|16)_[su]|i64\.load32_[su])$/;
function side(node, s = { reads: new Set(), tees: new Set(), trap: false }) {
  if (!s) return null;
  const m = /^\(([a-z0-9_.]+)(?: (\S+?))?\)?(?: |$)/.exec(node.line);
  if (!m) return null;
  if (m[1] === "local.get") s.reads.add(m[2]);
  else if (m[1] === "local.tee") s.tees.add(m[2]);
  else if (TRAP_OP.test(m[1])) s.trap = true;
  else if (!PURE_OP.test(m[1])) return null;
  for (const k of node.kids) if (!side(k, s)) return null;
  return s;
}
const SORTED = /^\((i32|i64)\.(add|mul|and|or|xor|eq|ne)$|^\((f32|f64)\.(eq|ne)$/;
const MIRRORED = { gt_s: "lt_s", gt_u: "lt_u", ge_s: "le_s", ge_u: "le_u", gt: "lt", ge: "le" };
// A node's text with every free pair of operands in one order: a
// commutative one's sorted, a gt/ge written as the lt/le it mirrors.
const INVERTED = { ne: "eq", ge_s: "lt_s", ge_u: "lt_u", le_s: "gt_s", le_u: "gt_u" };
// An `if` with an `else`, or a `select` whose values' order is free, on a
// comparison: written on the inverse of a ne, ge or le, the arms or values
// exchanged.
function inverted(node) {
  if (node.kids.length !== 3) return node;
  const select = node.line === "(select";
  const [x, y] = select ? node.kids : node.kids.slice(1);
  const c = node.kids[select ? 2 : 0];
  const m = /^\((i32|i64)\.(\w+)$/.exec(c.line);
  if (!m || !INVERTED[m[2]]) return node;
  const cond = { ...c, line: `(${m[1]}.${INVERTED[m[2]]}` };
  if (/^\(if( |$)/.test(node.line) && x.line === "(then" && y.line === "(else")
    return { ...node, kids: [cond, { ...x, kids: y.kids }, { ...y, kids: x.kids }] };
  const [p, q] = [side(x), side(y)];
  if (select && p && q && !(p.trap && q.trap) && apart(p, q) && apart(q, p)) return { ...node, kids: [y, x, cond] };
  return node;
}
function canonical(node) {
  node = inverted(node);
  let kids = node.kids.map(canonical);
  let line = node.line;
  if (kids.length === 2) {
    const [p, q] = node.kids.map((k) => side(k));
    const ok = p && q && !(p.trap && q.trap) && apart(p, q) && apart(q, p);
    const m = /^\((i32|i64|f32|f64)\.(\w+)$/.exec(line);
    if (ok && SORTED.test(line) && kids[0] > kids[1]) kids = [kids[1], kids[0]];
    if (ok && m && MIRRORED[m[2]] && (m[1][0] === "f") === !m[2].includes("_")) {
      line = `(${m[1]}.${MIRRORED[m[2]]}`;
      kids = [kids[1], kids[0]];
    }
  }
  return `${line}\n${kids.map((k) => k.replace(/^/gm, " ")).join("\n")}${node.close ? "\n)" : ""}`;
}
// binaryen numbers a function's labels in the order it meets them, so
// exchanged arms rename them: each is named by its depth instead (a branch
// names an enclosing label, and no two enclosing ones share a depth).
function labels(part) {
  const names = new Map();
  for (const m of part.matchAll(/^( *)\((?:block|loop|if) (\$(?:block|label)\d*)(?=[ )]|$)/gm)) {
    if (names.has(m[2])) throw new Error(`a label named twice: ${m[2]}`);
    names.set(m[2], `$L${m[1].length}`);
  }
  return part.replace(/\$(?:block|label)\d*(?=[ )]|$)/gm, (n) => names.get(n) ?? n);
}
export const functions = (wat) => wat.split(/\n(?= \(func )/).map((part) => canonical(tree(labels(part))));

function main() {
  const [path, roundsArg = "3"] = process.argv.slice(2);
  const rounds = Number(roundsArg);
  const before = readFileSync(path);
  const buf = Buffer.from(before);
  const fail = (why) => {
    console.error(`${path}: operands not reordered: ${why}`);
    process.exit(1);
  };
  let sites;
  try {
    sites = places(buf);
  } catch (e) {
    fail(e.message);
  }
  const size = () => gzipSync(buf, { level: 9 }).length;
  const start = size();
  let best = start;
  let kept = 0;
  for (let round = 0; round < rounds; round++) {
    const was = best;
    for (const s of sites) {
      swap(buf, sites, s);
      const n = size();
      if (n < best) {
        best = n;
        kept++;
      } else swap(buf, sites, s);
    }
    if (best === was) break;
  }
  const old = functions(text(path));
  writeFileSync(path, buf);
  let now;
  try {
    now = functions(text(path));
  } catch (e) {
    // binaryen cannot read the rewrite (a misread of the module): put back (review 147).
    writeFileSync(path, before);
    fail(`binaryen cannot read the rewrite: ${String(e.message).split("\n")[0]}`);
  }
  if (old.length !== now.length || now.some((part, i) => part !== old[i])) {
    writeFileSync(path, before);
    fail("binaryen reads another program once the operands are put back");
  }
  console.log(`operand order: ${kept} swaps kept at ${sites.length} places, gzip ${start} -> ${best} B`);
}
if (process.argv[1] === fileURLToPath(import.meta.url)) main();
