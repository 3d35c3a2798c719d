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

let dir;
// `node script path` with bytes written at path (a fresh directory per
// test file): spawnSync's answer and the bytes the script left there.
export function runScript(script, bytes, name = "m.wasm") {
  dir ??= mkdtempSync(join(tmpdir(), "wasm-bytes-"));
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const r = spawnSync(process.execPath, [script, path], { encoding: "utf8" });
  return { ...r, after: Uint8Array.from(readFileSync(path)) };
}
