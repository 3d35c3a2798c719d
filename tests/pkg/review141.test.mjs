// Review 141 (outside reviewer on the thirtieth session: fo55's scripts/order-functions.mjs, an55's answers written in
// the slots in place, er55's FlowExpired age as a number part, head 9c13902, then ur55 as merged in a0178db).
// Differential runs of 45138d1's packages (/tmp/oracle30/pkg) and 9c13902's, page (page-node.js) and full (node.js)
// builds, with the same random bytes (xorshift) and clock, each error recorded whole (review 139's `full`): identical.
// The shipped modules checked independently of order-functions' reader (binaryen's wasm-dis, functions matched and
// renamed through the permutation, every body, call, export and element compared): the link's modules exactly. Two
// confirmed findings, both in order-functions.mjs' reader and neither reaching the shipped modules: A, a `ref.func`
// in a global's initialiser is not renumbered; B, a local of a typed reference (GC) is misread as a `call`. The
// scripts are review141-scripts.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { childRunner } from "./child.mjs";
import * as s from "./review141-scripts.mjs";

const pkg = new URL("../../pkg/", import.meta.url).href;
const run = childRunner(new URL("./review141-scripts.mjs", import.meta.url).href, pkg);
const builds = ["page-node.js", "node.js"];

// Held: every stateMaxAge from 1 to 86,400, each flow's callback (a code, a provider error) at `age` s, at the last
// millisecond before it expires, at the first expired one and 999 ms past: 691,200 answers per build, equal to
// 45138d1's (the number part gives the same message, `1 second` and `N seconds`, no provider field, no stray part).
test("review141 (held): FlowExpired for every stateMaxAge answers as 45138d1's in both builds", async () => {
  const [page, full] = await Promise.all(builds.map((f) => run(`s.ages(pkg, ${JSON.stringify(f)})`)));
  assert.deepEqual([page.n, full.n], [86400, 86400]);
  assert.deepEqual([page.sha, full.sha], ["14bbbd96879ce077", "0c5334b2f99ceba9"]); // 45138d1's
  for (const r of [page, full]) assert.deepEqual(r.tally, { ok: 172800, authorization_error: 172800, state_expired: 345600 });
});

// Held: on a keyless and a keyed client, starts, successful callbacks (with iss), FlowExpired, provider errors (also on
// an expired flow), refusals after the core wrote part of its answer (another state, a changed pending value, no
// state), a refused start, PKCE and getters, each after each other in three orders: no number of an earlier answer
// reaches a later one (45138d1's answers).
test("review141 (held): answers written in the slots in place carry nothing of an earlier call", async () => {
  const [page, full] = await Promise.all(builds.map((f) => run(`s.sequences(pkg, ${JSON.stringify(f)})`)));
  assert.deepEqual([page.n, full.n], [156, 156]);
  assert.deepEqual([page.sha, full.sha], ["3388bef9877eb7cf", "c829cbb9bc1c35b1"]); // 45138d1's
});

// Review 141 A: order-functions.mjs copies the global section as it is, so a funcref global initialised by
// `ref.func 1` keeps index 1 when function 1 moves: the module validates (a global's ref.func declares its function),
// maps back byte for byte (the section is copied both ways), and is written with exit 0; `g` then calls another
// function. Reference types, which Node 20 (the build's) validates. Not in the shipped modules (one i32 global each).
test("review141 A: order-functions keeps a funcref global pointing at its function (or keeps the order)", () => {
  const before = s.globalRefModule();
  const r = s.order(before);
  assert.equal(r.status, 0);
  assert.deepEqual(s.behaviour(r.after), s.behaviour(before), r.output);
});

// Review 141 B: a local of a typed reference, `(ref null 16)`, is two bytes (0x63 0x10) where the reader skips one
// and reads 0x10 as a `call` of the function whose index is the next byte (the first instruction, `nop`, 1): when
// function 1 moves to 0, every such `nop` is written as `unreachable` (0x00), which validates and maps back. The same
// with `select` of a typed reference (0x1c, a type of two bytes) and `ref.null` of a type index past 63. GC: Node 20
// refuses it at the first validation (the order is kept), a Node that validates GC (22) does not; run here with
// WebAssembly.Module validating by binaryen, as such a Node would.
test("review141 B: order-functions refuses (keeps the order of) a module with a typed-reference local", () => {
  const before = s.typedLocalModule();
  assert.ok(s.validates(before));
  const r = s.order(before, true);
  assert.equal(r.status, 0);
  const dir = mkdtempSync(join(tmpdir(), "rv141-"));
  try {
    const text = (bytes) => {
      writeFileSync(join(dir, "m.wasm"), bytes);
      const t = execFileSync(new URL("../../scripts/node_modules/.bin/wasm-dis", import.meta.url).pathname, ["--all-features", join(dir, "m.wasm")], { encoding: "utf8" });
      return [(t.match(/\(nop\)/g) ?? []).length, (t.match(/\(unreachable\)/g) ?? []).length];
    };
    assert.deepEqual(text(before), [4, 0]);
    assert.deepEqual(text(r.after), [4, 0], r.output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Held (ur55, merged in a0178db: one port split for both host kinds, IPv6 read between the brackets as bytes, digit
// counts by radix, the authority cut by `split_at_byte`): 1,782 URL texts (IPv4 numbers in every radix and length,
// IPv6 forms, ports, userinfo, percent-encoding, hostile names, each behind http:// and https://) and 6,000 random
// authorities, each as redirectUri, as the authorize endpoint and as a callback whole: every answer as 45138d1's.
test("review141 (held): the URL reader accepts, refuses and writes as 45138d1's in both builds", async () => {
  const [page, full] = await Promise.all(builds.map((f) => run(`s.urlSummary(pkg, ${JSON.stringify(f)})`)));
  assert.deepEqual([page.n, full.n, page.tally.ok, full.tally.ok], [1782, 1782, 1017, 1017]);
  assert.deepEqual([page.sha, full.sha], ["aa3543e755165a83", "a3a965864f722f8b"]); // 45138d1's
  const [rpage, rfull] = await Promise.all(builds.map((f) => run(`s.urlRandom(pkg, ${JSON.stringify(f)})`)));
  assert.deepEqual([rpage.sha, rfull.sha, rpage.tally.ok], ["325024ff71b02681", "5ec5746965d18f04", 717]); // 45138d1's
});
