// Review 129's finding, as a failing test (not a *.test.mjs: it fails on 83b73c8 by design).
//   node --test tests/pkg/review129-findings.mjs
//
// M (informational, build script, from these changes): scripts/merge-data.mjs says it exits 1 for "an address
// that is not one `i32.const`" and its sleb32 refuses "an address past 32 bits" only when a fifth byte has the
// continuation bit. An over-long 5-byte i32.const whose last byte holds bits past 32 (0x80 0x80 0x80 0x80 0x10: an
// invalid module, which no validator accepts) is read wrapped to 0, joined, and written as a VALID module with
// the segment at address 0. No input is checked for validity first; only the output is. wasm-opt writes canonical
// LEBs, so the shipped modules are not affected. Minimal reproduction:
//   node -e 'const u=Uint8Array.from([0,97,115,109,1,0,0,0,5,3,1,0,1,11,17,2,0,65,128,128,128,128,16,11,1,1,0,65,16,11,1,7]);require("fs").writeFileSync("/tmp/m.wasm",u)'
//   node scripts/merge-data.mjs /tmp/m.wasm; echo $?    # 0: "2 joined into 1", the output now validates
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";

test("review 129 M: merge-data refuses an i32.const address whose fifth byte holds bits past 32", () => {
  const script = new URL("../../scripts/merge-data.mjs", import.meta.url).pathname;
  const dir = mkdtempSync(tmpdir() + "/review129-m-");
  const file = dir + "/m.wasm";
  // memory 1 page; data: [i32.const 0x80 0x80 0x80 0x80 0x10] "\x01", [i32.const 16] "\x07"
  const bytes = Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 5, 3, 1, 0, 1, 11, 17, 2, 0, 65, 128, 128, 128, 128, 16, 11, 1, 1, 0, 65, 16, 11, 1, 7]);
  assert.throws(() => new WebAssembly.Module(bytes)); // the input is not a valid module
  writeFileSync(file, bytes);
  const r = spawnSync(process.execPath, [script, file], { encoding: "utf8" });
  const after = readFileSync(file);
  rmSync(dir, { recursive: true, force: true });
  assert.equal(r.status, 1, `exit ${r.status}: ${r.stdout}${r.stderr}`);
  assert.deepEqual(new Uint8Array(after), bytes);
});
