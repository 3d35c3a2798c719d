// scripts/merge-data.mjs (scripts/build-wasm.sh, after wasm-opt): it joins
// data segments less than 1 KiB apart without changing memory's initial
// contents, and refuses (exit 1, the file untouched) what it cannot read.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { leb as uleb } from "../pkg/stack.mjs";

const script = new URL("../../scripts/merge-data.mjs", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "merge-data-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const run = (name, bytes) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const out = spawnSync(process.execPath, [script, path], { encoding: "utf8" });
  return { ...out, after: readFileSync(path) };
};
const sleb = (n) => {
  const out = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
};
const section = (id, body) => [id, body.length, ...body];
// A module of one exported memory and `segments` ([address, bytes] each, or
// raw segment bytes), with a data count section when `count`, and `extra`
// sections at the end.
function module(segments, { count = true, extra = [] } = {}) {
  const body = segments.flatMap((s) => (Array.isArray(s[1]) ? [0, 0x41, ...sleb(s[0]), 0x0b, s[1].length, ...s[1]] : s));
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(5, [1, 0x00, 1]),
    ...section(7, [1, 1, 0x6d, 0x02, 0]),
    ...(count ? section(12, [segments.length]) : []),
    ...section(11, [segments.length, ...body]),
    ...extra,
  ]);
}
const memory = (bytes) => Buffer.from(new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.m.buffer);
// The data section's segment count.
const segmentCount = (bytes) => {
  for (let at = 8; at < bytes.length; ) {
    const [size, start] = uleb(bytes, at + 1);
    if (bytes[at] === 11) return uleb(bytes, start)[0];
    at = start + size;
  }
};

test("segments less than 1 KiB apart become one, memory's initial contents unchanged", () => {
  for (const count of [true, false]) {
    // Out of order; 1 KiB apart is apart.
    const segments = [
      [2057, [9, 9]],
      [1024, [1, 2, 3]],
      [1030, [4]],
      [1031, [5, 6]],
      [2059 + 1023, [7]],
      [3083 + 1024, [8]],
    ];
    const before = module(segments, { count });
    const out = run(`join-${count}.wasm`, before);
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stdout, /6 joined into 3 /);
    assert.ok(WebAssembly.validate(out.after));
    assert.ok(memory(out.after).equals(memory(before)));
    assert.equal(segmentCount(out.after), 3);
    // Run again: nothing left to join.
    const again = run(`again-${count}.wasm`, out.after);
    assert.equal(again.status, 0, again.stderr);
    assert.ok(again.after.equals(out.after));
  }
});

test("the shipped modules' segments are already joined", () => {
  for (const path of ["../../pkg/partner_oauth_bg.wasm", "../../pkg/page/partner_oauth_bg.wasm"]) {
    const bytes = readFileSync(new URL(path, import.meta.url));
    const out = run("shipped.wasm", bytes);
    assert.equal(out.status, 0, out.stderr);
    assert.ok(out.after.equals(bytes), path);
  }
});

test("a passive segment, another expression, overlapping segments or a custom section: refused, the file untouched", () => {
  const name = [0, 5, 4, 0x6e, 0x61, 0x6d, 0x65];
  const cases = {
    passive: module([[1024, [1]], [1, 2, 7, 7]]),
    global: module([[1024, [1]], [0, 0x23, 0, 0x0b, 1, 7]]),
    overlap: module([[1024, [1, 2, 3]], [1026, [4]]]),
    custom: module([[1024, [1]], [1030, [2]]], { extra: name }),
  };
  for (const [what, bytes] of Object.entries(cases)) {
    const out = run(`${what}.wasm`, bytes);
    assert.equal(out.status, 1, `${what}: ${out.stdout}${out.stderr}`);
    assert.ok(out.after.equals(Buffer.from(bytes)), what);
  }
});
