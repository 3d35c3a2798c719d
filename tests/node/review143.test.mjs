// Review 143: scripts/order-functions.mjs --types copied a tag section (id
// 13, exception handling) as it was: a tag's type index kept its old
// number while the type section was reordered, so the tag took another
// signature. The result validated and mapped back byte for byte (the map
// back copies the tag section too), so the script wrote it without a
// warning; only scripts/check-order.mjs (binaryen's reading) saw it. The
// script must keep a module with a tag section as it is.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toUleb } from "../../scripts/leb.mjs";

const script = new URL("../../scripts/order-functions.mjs", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "review143-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const section = (id, body) => [id, ...toUleb(body.length), ...body];

// Six types of no results (so a tag may take any of them); 36 functions of
// types 0..5 in turn; a data segment repeating that run with types 0 and 1
// exchanged, so the type search gains by moving type 0 after type 1. The
// tag's type is 1, (param i32).
const FUNCS = 36;
const params = [[], [0x7f], [0x7e], [0x7d], [0x7c], [0x7f, 0x7f]];
const pattern = [...Array(FUNCS).keys()].map((i) => [1, 0, 2, 3, 4, 5][i % 6]);
const module = Uint8Array.from([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(1, [params.length, ...params.flatMap((p) => [0x60, p.length, ...p, 0])]),
  ...section(3, [...toUleb(FUNCS), ...[...Array(FUNCS).keys()].map((i) => i % 6)]),
  ...section(5, [1, 0, 1]),
  ...section(13, [1, 0x00, 1]),
  ...section(7, [2, 1, 0x66, 0x00, 0, 1, 0x74, 0x04, 0x00]),
  ...section(10, [...toUleb(FUNCS), ...[...Array(FUNCS).keys()].flatMap((i) => [5, 0, 0x41, i, 0x1a, 0x0b])]),
  ...section(11, [1, 0, 0x41, 0, 0x0b, ...toUleb(FUNCS * 3), ...pattern, ...pattern, ...pattern]),
]);

// The tag's type, by its signature's bytes.
const tagSignature = (bytes) => {
  const m = new WebAssembly.Module(bytes);
  const sections = new Map();
  for (let at = 8; at < bytes.length; ) {
    let size = 0, shift = 0, i = at + 1, b;
    do (b = bytes[i++]), (size += (b & 127) * 2 ** shift), (shift += 7);
    while (b & 128);
    sections.set(bytes[at], bytes.subarray(i, i + size));
    at = i + size;
  }
  assert.ok(m);
  const types = [];
  const t = sections.get(1);
  for (let at = 1, k = 0; k < t[0]; k++) {
    const end = at + 2 + t[at + 1] + 1 + t[at + 2 + t[at + 1]];
    types.push(Buffer.from(t.subarray(at, end)).toString("hex"));
    at = end;
  }
  return types[sections.get(13)[2]];
};

test("review 143: order-functions --types does not give a tag another type", () => {
  const path = join(dir, "tag.wasm");
  writeFileSync(path, module);
  const ran = spawnSync(process.execPath, [script, `--order=${path}.json`, "--types", path, "0"], { encoding: "utf8" });
  assert.equal(ran.status, 0, ran.stderr);
  const out = readFileSync(path);
  assert.equal(tagSignature(out), tagSignature(module), "the tag's signature changed");
  // And kept whole, with the warning (the script does not read tags).
  assert.ok(out.equals(Buffer.from(module)), ran.stdout);
  assert.match(ran.stderr, /WARNING: function order kept \(it has a tag section\)/);
});
