// scripts/align-hints.mjs (scripts/build-wasm.sh, after merge-data): every
// memarg's alignment hint written as 1 byte, nothing else changed, and a
// module it cannot read left as it was.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const script = new URL("../../scripts/align-hints.mjs", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "align-hints-"));
const run = (bytes) => {
  const path = join(dir, "m.wasm");
  writeFileSync(path, bytes);
  const r = spawnSync(process.execPath, [script, path], { encoding: "utf8" });
  return { ...r, after: readFileSync(path) };
};

// One memory, one function: i64.store align=3 offset=8 of (i32.const 64,
// i64.const 1), then i32.load16_u align=1 offset=2 and i32.load8_s align=0
// offset=200 (a two-byte offset) of i32.const 64, dropped.
const body = [
  0x00,
  0x41, 0xc0, 0x00, 0x42, 0x01, 0x37, 0x03, 0x08,
  0x41, 0xc0, 0x00, 0x2f, 0x01, 0x02, 0x1a,
  0x41, 0xc0, 0x00, 0x2c, 0x00, 0xc8, 0x01, 0x1a,
  0x0b,
];
const module = (code) =>
  Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    1, 4, 1, 0x60, 0, 0,
    3, 2, 1, 0,
    5, 3, 1, 0, 1,
    10, code.length + 2, 1, code.length, ...code,
  ]);

test("every alignment hint becomes 1 byte; every other byte stays", () => {
  const before = module(body);
  const r = run(before);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /3 memargs at 1 byte/);
  const changed = [...before].flatMap((b, i) => (b === r.after[i] ? [] : [i]));
  const at = before.length - body.length;
  assert.deepEqual(changed, [at + 7, at + 13]);
  assert.equal(r.after[at + 7], 0);
  assert.equal(r.after[at + 13], 0);
});

test("an opcode it does not read (an atomic load) leaves the module unwritten", () => {
  // i32.atomic.load align=2 offset=0: 0xfe 0x10 0x02 0x00.
  const atomic = [0x00, 0x41, 0xc0, 0x00, 0xfe, 0x10, 0x02, 0x00, 0x1a, 0x0b];
  const before = module(atomic);
  const r = run(before);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /alignment hints not written: opcode 0xfe/);
  assert.deepEqual(Uint8Array.from(r.after), before);
});
