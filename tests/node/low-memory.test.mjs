// scripts/low-memory.mjs, the check behind wasm-opt's --low-memory-unused
// (scripts/build-wasm.sh): it passes the modules the package ships and
// refuses a layout that puts data or the stack in the first 1 KiB. The
// page's 4 KiB stack passes only with its proven depth (stack-depth.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const script = new URL("../../scripts/low-memory.mjs", import.meta.url).pathname;
const check = (path, ...flags) => spawnSync(process.execPath, [script, path, ...flags], { encoding: "utf8" });

// A module of one memory, a stack pointer starting at `stack` and one data
// segment at `data` (i32.const as signed LEB128).
function module(stack, data) {
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
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(5, [1, 0x00, 32]),
    ...section(6, [1, 0x7f, 1, 0x41, ...sleb(stack), 0x0b]),
    ...section(11, [1, 0, 0x41, ...sleb(data), 0x0b, 3, 1, 2, 3]),
  ]);
}

const shipped = (path) => new URL(`../../pkg/${path}`, import.meta.url).pathname;

test("the shipped modules' layout leaves the first 1 KiB unused", () => {
  const full = check(shipped("partner_oauth_bg.wasm"));
  assert.equal(full.status, 0, full.stderr);
  // The page's stack starts at 4 KiB: below 64 KiB, so only with a depth that leaves the first 1 KiB (its own bound
  // is checked in stack-depth.test.mjs).
  assert.equal(check(shipped("page/partner_oauth_bg.wasm")).status, 1);
  assert.equal(check(shipped("page/partner_oauth_bg.wasm"), "--stack-bound", "3072").status, 0);
  assert.equal(check(shipped("page/partner_oauth_bg.wasm"), "--stack-bound", "3073").status, 1);
});

test("data or a stack in the first 1 KiB is refused, and the layout the toolchain makes is not", () => {
  const dir = mkdtempSync(join(tmpdir(), "low-memory-"));
  const cases = [
    [1048576, 1048576, 0],
    [1048576, 1024, 0],
    [1048576, 1023, 1],
    [1048576, 0, 1],
    [65536, 2048, 0],
    [65535, 2048, 1],
    [512, 2048, 1],
  ];
  for (const [stack, data, status] of cases) {
    const path = join(dir, `${stack}-${data}.wasm`);
    const bytes = module(stack, data);
    assert.ok(WebAssembly.validate(bytes), "a valid module");
    writeFileSync(path, bytes);
    const run = check(path);
    assert.equal(run.status, status, `stack ${stack}, data ${data}: ${run.stdout}${run.stderr}`);
  }
  // With a proven depth, the stack may start below 64 KiB if that depth stays above the first 1 KiB.
  const bounded = [
    [4096, "3072", 0],
    [4096, "3073", 1],
    [1024, "0", 0],
    [1023, "0", 1],
    [65536, "65000", 1],
  ];
  for (const [stack, bound, status] of bounded) {
    const path = join(dir, `bounded-${stack}.wasm`);
    writeFileSync(path, module(stack, 2048));
    const run = check(path, "--stack-bound", bound);
    assert.equal(run.status, status, `stack ${stack}, bound ${bound}: ${run.stdout}${run.stderr}`);
  }
  // A flag it does not know, or a bound that is not a count of bytes, is refused.
  for (const flags of [["--stack"], ["--stack-bound"], ["--stack-bound", "-1"], ["--stack-bound", "1e3"], ["--stack-bound", "x"]]) {
    assert.equal(check(join(dir, "bounded-4096.wasm"), ...flags).status, 1, flags.join(" "));
  }
});
