// Checks a module reordered by scripts/order-functions.mjs against the
// module before, from binaryen's reading (wasm-dis), not the script's own
// decoder: a misread immediate that the script renumbered as a function
// index would still map back byte for byte. Each function reference of the
// new text (a body's name, `call`, `return_call`, `ref.func`, an export, a
// table element, the start function: review 142 A) is renamed through the
// script's permutation, each type reference is replaced by the signature
// it names (so a type section in another order reads the same), and then
// every function must read as its old self and every other line as before.
// Exit 1 on any difference.
//   node scripts/check-order.mjs BEFORE.wasm AFTER.wasm [ORDER.json]
// ORDER.json: order[new index] = old index among the defined functions (as
// order-functions.mjs writes it); without it, or if it is missing (the
// search kept the order and wrote none), the order must be the same.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dis = fileURLToPath(new URL("node_modules/.bin/wasm-dis", import.meta.url));

export function text(path) {
  const run = spawnSync(dis, [path], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`wasm-dis ${path}: ${run.stderr || run.error}`);
  return run.stdout;
}

// The text's parts: the type signatures (sorted), the lines outside
// functions, and each function's lines by name (after renaming).
function parts(wat, rename) {
  const lines = wat.split("\n");
  const types = new Map();
  for (const line of lines) {
    const m = /^ \(type \$(\d+) (.*)\)$/.exec(line);
    if (m) types.set(m[1], m[2]);
  }
  const type = (_, t) => {
    if (!types.has(t)) throw new Error(`a reference to type $${t}, which is not defined`);
    return `(type ${types.get(t)})`;
  };
  const outside = [],
    functions = new Map();
  let body = null;
  for (const line of lines) {
    if (/^ \(type /.test(line)) {
      if (!/^ \(type \$\d+ /.test(line)) throw new Error(`a type definition not read: ${line.slice(0, 80)}`);
      continue;
    }
    // A data string is bytes, not code: nothing in it is renamed.
    if (/^ \(data /.test(line)) {
      body = null;
      outside.push(line);
      continue;
    }
    let l = line
      .replace(/\(type \$(\d+)\)/g, type)
      .replace(/\((func|call|return_call|ref\.func|start) \$(\d+)(?=[ )]|$)/g, (_, op, n) => `(${op} $${rename(Number(n))}`);
    if (/^ \(elem /.test(l)) {
      // Imported functions ($fimport$N) keep their indices.
      const m = /^( \(elem \$\d+ \(i32\.const \d+\))((?: \$(?:fimport\$)?\d+)*)\)$/.exec(l);
      if (!m) throw new Error(`an element segment of a form not read: ${l.slice(0, 80)}`);
      l = m[1] + m[2].replace(/ \$(\d+)/g, (_, n) => ` $${rename(Number(n))}`) + ")";
    }
    if (/^ \(func /.test(l)) {
      const m = /^ \(func \$(\d+)(?=[ )]|$)/.exec(l);
      if (!m) throw new Error(`a function not read: ${l.slice(0, 80)}`);
      if (functions.has(m[1])) throw new Error(`two functions $${m[1]}`);
      functions.set(m[1], (body = []));
    } else if (/^ \(|^\)/.test(l)) body = null;
    (body ?? outside).push(l);
  }
  return { types: [...types.values()].sort(), outside, functions };
}

// null if AFTER (text) is BEFORE (text) with its functions in `order`,
// else the first difference found.
export function compare(before, after, order = null) {
  try {
    return differences(before, after, order);
  } catch (error) {
    return error.message;
  }
}

function differences(before, after, order) {
  const old = parts(before, (n) => n);
  const count = old.functions.size;
  if (order !== null) {
    const seen = new Set(order);
    if (
      order.length !== count ||
      seen.size !== count ||
      order.some((o) => !Number.isInteger(o) || o < 0 || o >= count)
    ) {
      return `the order is not a permutation of the ${count} functions`;
    }
  }
  const rename = (n) => {
    if (n >= count) throw new Error(`a reference to function $${n} of ${count}`);
    return order === null ? n : order[n];
  };
  const now = parts(after, rename);
  if (old.types.join("\n") !== now.types.join("\n")) return "the type signatures differ";
  for (const [name, lines] of old.functions) {
    const other = now.functions.get(name);
    if (!other) return `function $${name} is missing`;
    const k = lines.findIndex((l, i) => l !== other[i]);
    if (k >= 0 || lines.length !== other.length)
      return `function $${name} differs at its line ${k >= 0 ? k + 1 : lines.length + 1}: ${JSON.stringify((lines[k] ?? "").trim())} became ${JSON.stringify((other[k >= 0 ? k : lines.length] ?? "").trim())}`;
  }
  if (now.functions.size !== count) return `${now.functions.size} functions, not ${count}`;
  const k = old.outside.findIndex((l, i) => l !== now.outside[i]);
  if (k >= 0 || old.outside.length !== now.outside.length)
    return `the module differs outside its functions: ${JSON.stringify((old.outside[k] ?? "").slice(0, 120))} became ${JSON.stringify((now.outside[k >= 0 ? k : old.outside.length] ?? "").slice(0, 120))}`;
  return null;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [before, after, orderFile] = process.argv.slice(2);
  let order = null;
  try {
    order = orderFile ? JSON.parse(readFileSync(orderFile, "utf8")) : null;
  } catch (error) {
    if (error.code !== "ENOENT") throw error;
  }
  const difference = compare(text(before), text(after), order);
  if (difference !== null) {
    console.error(`${after}: the reordered module is not the old one in binaryen's reading: ${difference}`);
    process.exit(1);
  }
}
