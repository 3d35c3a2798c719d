// Wasm modules written byte by byte for the build scripts' tests, and a
// script run over one. The tests' own writer, apart from the scripts'
// (scripts/leb.mjs), so a fault in one is not hidden by the other.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const uleb = (v) => {
  const out = [];
  do {
    out.push((v & 127) | (v > 127 ? 128 : 0));
    v = Math.floor(v / 128);
  } while (v);
  return out;
};
export const section = (id, body) => [id, ...uleb(body.length), ...body];
export const HEADER = [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0];

let dir, runs = 0;
// `node script path ...args` with bytes written at path (a fresh directory
// per test file): spawnSync's answer and the bytes the script left there.
export function runScript(script, bytes, name = "m.wasm", args = []) {
  dir ??= mkdtempSync(join(tmpdir(), "wasm-bytes-"));
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const r = spawnSync(process.execPath, [script, path, ...args], { encoding: "utf8" });
  return { ...r, after: Uint8Array.from(readFileSync(path)) };
}

// A mutant of scripts/<name>: each [from, to] edit made once (a `from`
// not found throws: the mutant must be the one meant), its own imports
// pointed back at scripts/, then run as runScript does.
export function runMutant(name, edits, bytes, args = []) {
  const scripts = new URL("../../scripts/", import.meta.url);
  let text = readFileSync(new URL(name, scripts), "utf8").replace(/from "\.\/([\w-]+\.mjs)"/g, (_, file) => `from ${JSON.stringify(new URL(file, scripts).href)}`);
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`${name} has no ${JSON.stringify(from)}`);
    text = text.replace(from, to);
  }
  dir ??= mkdtempSync(join(tmpdir(), "wasm-bytes-"));
  const script = join(dir, `mutant${runs}.mjs`);
  writeFileSync(script, text);
  return runScript(script, bytes, `mutant${runs++}.wasm`, args);
}

// A module of functions (each body its locals' declaration and code, no
// size) of one type (the bytes of a func type), exported as "f" and one
// character each, from `first` on (f0, f1... by default); with `memory`,
// one memory of one page, and with `data` a passive data segment holding
// it. The search scripts' tests pin gzip outcomes on such small modules,
// so every name is two bytes, as those tests were written with.
export function funcModule(bodies, type, { memory = false, data = [], first = "0" } = {}) {
  const code = [];
  for (const b of bodies) code.push(...uleb(b.length), ...b);
  const exports = [];
  bodies.forEach((_, f) => exports.push(2, 0x66, first.charCodeAt(0) + f, 0, ...uleb(f)));
  return Uint8Array.from([
    ...HEADER,
    ...section(1, [1, ...type]),
    ...section(3, [...uleb(bodies.length), ...bodies.map(() => 0)]),
    ...(memory || data.length ? section(5, [1, 0, 1]) : []),
    ...section(7, [...uleb(bodies.length), ...exports]),
    ...(data.length ? section(12, [1]) : []),
    ...section(10, [...uleb(bodies.length), ...code]),
    ...(data.length ? section(11, [1, 1, ...uleb(data.length), ...data]) : []),
  ]);
}
