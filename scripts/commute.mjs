// Orders the two operands of commutative instructions for gzip (issue 26,
// helper lx60). Where both operands of an i32/i64 add, mul, and, or, xor,
// eq or ne are pushed by the two instructions just before it, each a
// local.get, global.get or constant (no effect, no trap), their order is
// free: the two are swapped in place if the module then gzips smaller
// (Node's zlib -9, as benches/sizes.mjs). Greedy over the sites, ROUNDS
// rounds or until one gains nothing; no size moves. Comparisons mirrored
// with their operands (lt_s(a, b) as gt_s(b, a)) gained nothing more on the
// page: not done. Checked from binaryen's reading: each function's text,
// such pairs put in one canonical order in both, must be the old one.
// Deterministic.
//   node scripts/commute.mjs MODULE.wasm [ROUNDS]
import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { classifyWasm } from "./gzip-cost.mjs";
import { text } from "./check-order.mjs";

const [path, roundsArg = "3"] = process.argv.slice(2);
const rounds = Number(roundsArg);
const before = readFileSync(path);
const buf = Buffer.from(before);
const fail = (why) => {
  console.error(`${path}: operands not reordered: ${why}`);
  process.exit(1);
};

// i32/i64 add, mul, and, or, xor, eq, ne.
const COMMUTATIVE = new Set([0x6a, 0x6c, 0x71, 0x72, 0x73, 0x46, 0x47, 0x7c, 0x7e, 0x83, 0x84, 0x85, 0x51, 0x52]);
// local.get, global.get, i32.const, i64.const.
const PURE = new Set([0x20, 0x23, 0x41, 0x42]);

// Each function's instructions: [start, end) and opcode.
const ins = [];
try {
  classifyWasm(buf, (a, b, cls, fn) => {
    if (fn === undefined || cls === "body size" || cls === "locals decl") return;
    if (cls === "opcode") ins.push({ a, b, op: buf[a], fn });
    else ins[ins.length - 1].b = b;
  });
} catch (e) {
  fail(e.message);
}
const sites = [];
for (let k = 2; k < ins.length; k++) {
  const [x, y, z] = [ins[k - 2], ins[k - 1], ins[k]];
  if (x.fn !== z.fn || y.fn !== z.fn || !PURE.has(x.op) || !PURE.has(y.op) || z.b - z.a !== 1) continue;
  if (COMMUTATIVE.has(z.op)) sites.push({ a: x.a, end: y.b, first: x.b - x.a, second: y.b - y.a });
}
const swap = (s) => {
  const seg = Buffer.from(buf.subarray(s.a, s.end));
  seg.subarray(s.first).copy(buf, s.a);
  seg.subarray(0, s.first).copy(buf, s.a + s.second);
  [s.first, s.second] = [s.second, s.first];
};

const size = () => gzipSync(buf, { level: 9 }).length;
const start = size();
let best = start;
let kept = 0;
for (let round = 0; round < rounds; round++) {
  const was = best;
  for (const s of sites) {
    swap(s);
    const n = size();
    if (n < best) {
      best = n;
      kept++;
    } else swap(s);
  }
  if (best === was) break;
}

// binaryen's text (folded: an instruction's operands are its children), each
// function's pairs of pure leaf operands put in one order.
const PURE_TEXT = /^\((local\.get|global\.get|i32\.const|i64\.const) [^()]*\)$/;
function canonical(wat) {
  const lines = wat.split("\n");
  // Each node: its line and the lines indented under it.
  const root = { line: "", kids: [] };
  const stack = [root];
  for (const line of lines) {
    const depth = line.length - line.trimStart().length;
    while (stack.length > 1 && stack[stack.length - 1].depth >= depth) stack.pop();
    const node = { line: line.trim(), depth, kids: [] };
    stack[stack.length - 1].kids.push(node);
    stack.push(node);
  }
  const out = [];
  const walk = (node, indent) => {
    let kids = node.kids;
    // (A node's closing `)` is its sibling, at its own depth.)
    const leaves = kids.length === 2 && kids.every((k) => !k.kids.length && PURE_TEXT.test(k.line));
    const m = /^\((i32|i64)\.(\w+)$/.exec(node.line);
    if (leaves && m && ["add", "mul", "and", "or", "xor", "eq", "ne"].includes(m[2]) && kids[0].line > kids[1].line) kids = [kids[1], kids[0]];
    out.push(indent + node.line);
    for (const k of kids) walk(k, indent + " ");
  };
  for (const k of root.kids) walk(k, "");
  return out.join("\n");
}
const funcs = (wat) => wat.split(/\n(?= \(func )/).map(canonical);
const old = funcs(text(path));
writeFileSync(path, buf);
let now;
try {
  now = funcs(text(path));
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
