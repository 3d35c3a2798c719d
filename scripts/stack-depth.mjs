// The page wasm's deepest shadow stack, bounded from the linked module
// (LLVM's output, before wasm-opt, which only keeps or removes frames):
// each function's frames are the constants it subtracts from
// __stack_pointer, and the deepest path through the call graph adds them.
// That bound holds only if every frame is a constant (no dynamic alloca),
// none is taken inside a loop, the pointer is only read to take a frame
// and only written with one or its restore, no function reaches itself,
// and an indirect call is taken to reach any function of the table. A
// frame the pointer is moved by is given back whole before its function
// returns (review 145): it is taken as LLVM does, `(global.set (local.tee
// $L frame))` among the function's top-level instructions, and restored by
// a later top-level `(global.set (i32.add (local.get $L) N))` of its size,
// $L written by nothing else, and the function has no return, tail call or
// exception between them; the module imports nothing (an import could call
// an export again) and has no start function (which runs uncounted). It
// fails (exit 1) otherwise, and unless the bound leaves the first 1 KiB of
// memory unused below the stack's top (what wasm-opt's --low-memory-unused
// assumes; low-memory.mjs checks the rest). So the page keeps its stack,
// and with it its data's addresses, below 8 KiB: two-byte constants
// (build-wasm.sh). Prints the bound (stdout) and its margin (stderr).
//   node scripts/stack-depth.mjs LINKED.wat
import { readFileSync } from "node:fs";

const LOW = 1024;
const SP = "$__stack_pointer";
const path = process.argv[2];
const fail = (why) => {
  console.error(`${path}: the stack's depth is not bounded: ${why}`);
  process.exit(1);
};

// An S-expression reader for binaryen's text: lists, atoms and strings.
function parse(text) {
  const root = [];
  const stack = [root];
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    if (c === "(") { const list = []; stack.at(-1).push(list); stack.push(list); i++; }
    else if (c === ")") { stack.pop(); if (stack.length === 0) fail("unbalanced text"); i++; }
    else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      stack.at(-1).push(text.slice(i, j + 1));
      i = j + 1;
    } else if (c === ";" && text[i + 1] === ";") { while (i < text.length && text[i] !== "\n") i++; }
    else if (/\s/.test(c)) i++;
    else {
      let j = i;
      while (j < text.length && !/[\s()"]/.test(text[j])) j++;
      stack.at(-1).push(text.slice(i, j));
      i = j;
    }
  }
  if (stack.length !== 1) fail("unbalanced text");
  return root;
}

const [module] = parse(readFileSync(path, "utf8"));
if (!Array.isArray(module) || module[0] !== "module") fail("not a module");
const isList = (x, head) => Array.isArray(x) && x[0] === head;
const constant = (x) => (isList(x, "i32.const") && /^\d+$/.test(x[1]) ? Number(x[1]) : null);
// `(i32.sub (global.get $__stack_pointer) (i32.const N))`: a frame of N.
const frameOf = (x) => (isList(x, "i32.sub") && x.length === 3 && isList(x[1], "global.get") && x[1][1] === SP ? constant(x[2]) : null);

let top = null;
const exported = new Set();
const table = new Set();
const INDIRECT = "(indirect)";
const functions = new Map();
// Every function name in an element segment, written as a name or inside
// an expression (`(item ref.func $f)`, `(ref.func $f)`), not its table's.
const elements = (x, into) => {
  for (const y of x) {
    if (Array.isArray(y)) { if (y[0] !== "table") elements(y, into); }
    else if (typeof y === "string" && y.startsWith("$")) into.add(y);
  }
};
for (const item of module) {
  if (isList(item, "global") && item[1] === SP) top = constant(item[3]);
  if (isList(item, "export") && isList(item[2], "func")) exported.add(item[2][1]);
  // An import may call an export again, on top of the frames below it.
  if (isList(item, "import") || (Array.isArray(item) && item.some((x) => isList(x, "import")))) fail(`it imports (${item[0]} ${item[1]}): an import may call an export again`);
  if (isList(item, "start")) fail(`it has a start function (${item[1]}), which no export's depth counts`);
  // A table's functions: an indirect call may reach any of them.
  if (isList(item, "elem")) elements(item.slice(typeof item[1] === "string" ? 2 : 1), table);
  if (isList(item, "table")) for (const x of item) if (isList(x, "elem")) elements(x.slice(1), table);
  if (!isList(item, "func")) continue;
  const name = item[1];
  const info = { frame: 0, calls: new Set() };
  // The frames the pointer is moved by (`$L N`), and their restores, with
  // the index of the top-level instruction each is (-1: not top-level).
  const takes = [], restores = [], writes = new Map();
  let leaves = false, top_level = -1;
  // Walks the body; `loops` counts the loops around the expression.
  const walk = (x, loops) => {
    if (!Array.isArray(x)) return;
    const head = x[0];
    if (head === "call_ref" || head === "return_call_ref" || head === "ref.func") fail(`${name} takes or calls a function reference (${head})`);
    if (head === "call_indirect" || head === "return_call_indirect") info.calls.add(INDIRECT);
    if (head === "call" || head === "return_call") info.calls.add(x[1]);
    if (head === "global.get" && x[1] === SP) fail(`${name} reads the stack pointer other than to take a constant frame`);
    // A way out between a frame's take and its restore.
    if (/^(return|return_call.*|throw.*|rethrow|try.*|delegate)$/.test(head)) leaves = true;
    if ((head === "local.set" || head === "local.tee") && typeof x[1] === "string") writes.set(x[1], (writes.get(x[1]) ?? 0) + 1);
    if (head === "global.set" && x[1] === SP) {
      const value = x[2];
      const at = x === top_level ? index : -1;
      if (loops > 0 && frameOf(isList(value, "local.tee") ? value[2] : value) !== null) fail(`${name} takes a frame inside a loop`);
      // A frame taken (`local.tee` of it), or its restore (its local and size).
      if (isList(value, "local.tee") && typeof value[1] === "string" && frameOf(value[2]) !== null) takes.push({ local: value[1], size: frameOf(value[2]), at });
      else if (isList(value, "i32.add") && value.length === 3 && isList(value[1], "local.get") && constant(value[2]) !== null) restores.push({ local: value[1][1], size: constant(value[2]), at });
      else fail(`${name} writes the stack pointer with something else than a frame or its restore`);
    }
    const frame = frameOf(x);
    if (frame !== null) {
      if (loops > 0) fail(`${name} takes a frame inside a loop`);
      info.frame += frame;
      return;
    }
    for (const child of x.slice(1)) walk(child, loops + (head === "loop" ? 1 : 0));
  };
  let index = -1;
  for (const part of item.slice(2)) {
    index++;
    top_level = part;
    walk(part, 0);
  }
  // Each take restored whole, later, both at the top level, its local
  // written by the take alone; each restore a take's; no way out between.
  if (takes.length && leaves) fail(`${name} moves the stack pointer and can leave before its restore (a return, tail call or exception)`);
  // In order, the last frame taken restored first (a restore is absolute:
  // another order would leave the pointer below the function's entry).
  const open = [];
  for (const e of [...takes.map((t) => ({ ...t, take: true })), ...restores].sort((a, b) => a.at - b.at)) {
    if (e.at < 0 || (e.take && writes.get(e.local) !== 1)) fail(`${name} takes or restores a frame of ${e.size} B other than at its top level, by its own local`);
    if (e.take) open.push(e);
    else if (open.at(-1)?.local !== e.local || open.at(-1)?.size !== e.size) fail(`${name} restores the stack pointer from something else than its last frame`);
    else open.pop();
  }
  if (open.length) fail(`${name} takes a frame of ${open.at(-1).size} B it does not give back whole on every path`);
  functions.set(name, info);
}
if (top === null) fail("no __stack_pointer global with a constant start");
functions.set(INDIRECT, { frame: 0, calls: table });
if (exported.size === 0) fail("no exported function");

// The deepest path from each function, refusing a cycle.
const depth = new Map();
const visiting = new Set();
const deepest = (name) => {
  if (depth.has(name)) return depth.get(name);
  if (visiting.has(name)) fail(`${name} can reach itself`);
  const info = functions.get(name);
  if (!info) return 0; // an import: no frame of this module's stack
  visiting.add(name);
  let below = 0;
  for (const callee of info.calls) below = Math.max(below, deepest(callee));
  visiting.delete(name);
  depth.set(name, info.frame + below);
  return info.frame + below;
};
let bound = 0;
for (const name of exported) bound = Math.max(bound, deepest(name));
if (bound > top - LOW) fail(`${bound} B deep from ${top}: it would reach the first ${LOW} B`);
console.error(`stack: at most ${bound} B deep from ${top} (${top - LOW - bound} B to spare above ${LOW})`);
console.log(bound);
