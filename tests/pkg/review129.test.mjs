// Review 129 (outside reviewer on the twenty-seventh session's page-build changes, d6f1564..83b73c8: helper nc48's
// record reader (a u32 number with a sentinel, saturated; the value left in the record and a bool; list items copied
// from the text; `boxed`; `listed`), helper sm48's merge-data.mjs (the data segments joined after wasm-opt), the
// page's base64url symbols by ranges, the full build's stack pointer exported as `g`). Differential runs of
// d6f1564's package (/tmp/review128-old/pkg) and 83b73c8's with the same inputs gave the same answers everywhere:
// every hash below matched both; the values are 83b73c8's, frozen. No finding in the library; one informational
// finding in the build script (M, its test below: an over-long 5-byte address was read wrapped, not refused).
// The scripts are review129-scripts.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { childRunner } from "./child.mjs";
import { tmpdir } from "node:os";

const pkg = new URL("../../pkg/", import.meta.url).href;
const scripts = new URL("./review129-scripts.mjs", import.meta.url).href;
const run = childRunner(scripts, pkg);
// Started at once: the children run side by side.
const runs = {
  numbers: run("s.rawNumbers(pkg)"),
  fuzz: run("s.rawFuzz(pkg, 20000, 129)"),
  base64: run("s.rawBase64(pkg)"),
  forged: run("s.rawForgedState(pkg)"),
  public: run("s.publicNumbers(pkg)"),
  merge: run("s.mergeData(pkg)"),
  encode: run("s.rawEncode(pkg)"),
  residue: run("s.rawResidue(pkg)"),
};

// 793 client and start records with each number options.js writes (stateMaxAge, timeoutMs, a preset's lifetimes,
// a grant's index, the counts of grants, codeParams, stateKey, authorizeParams, scopes and params) and the lengths
// of four values and a start's payload replaced by numbers it never writes: 0 to 2^64+9 and 40 digits, the u32
// and u64 limits either side, 2^32 + 600 / 86400 / 300000 (a truncation to 32 bits would accept them), leading
// zeros, signs, spaces, 1e3, 0x10, full-width and Arabic digits, NUL, absent. Refused and accepted as d6f1564's
// page: the same codes and messages, the same flowExpiresAt; no trap.
test("review 129: the page's raw constructor and start over numbers, counts and lengths options.js never writes", async () => {
  assert.deepEqual(await runs.numbers, {
    n: 793, kinds: { invalid_config: 149, OK: 585, invalid_redirect_uri: 10, unknown_provider: 49 }, hash: "09b40724cd50ed63", traps: 0,
  });
});

// 20,000 records mutated at random (seed 129) from five clients' records with tokens near the u32/u64 limits,
// forged lengths (4294967295:, 18446744073709551616:), NUL and non-UTF-8 bytes; each client's two names and a start
// with one of eleven start records. By hand, seeds 1-5 at 100,000 each (500,000) matched d6f1564 too.
test("review 129: 20,000 mutated records fed to n, p and t answer as d6f1564's page", async () => {
  assert.deepEqual(await runs.fuzz, {
    n: 20000, kinds: { invalid_redirect_uri: 2801, OK: 4521, invalid_argument: 7374, unknown_provider: 2544, invalid_config: 2359, unknown_environment: 401 },
    hash: "a4ed32d658d855d8", traps: 0,
  });
});

// The base64url decoders computed from ranges: a keyless and a keyed client's callback with the state and the
// pending value each mutated at every position to every byte value (0x00-0xff), cut to every length (every length
// mod 4), with each symbol, `+ / = == A= AA== . %3D NUL` before and after, and the last four symbols each of
// `AQgw-_+/=`. Keyed: none accepted. Keyless: 1,221 accepted, all with a pending value's change (the keyless
// pending value is not authenticated, as documented), 63 of them answering another expiry (its time bytes).
test("review 129: callbacks with every byte at every position of the state and the pending value", async () => {
  assert.deepEqual(await runs.base64, {
    n: 128226,
    kinds: { OK: 1223, invalid_callback: 4296, state_mismatch: 13716, invalid_argument: 63744, invalid_pending: 43836, invalid_state: 426, state_expired: 156, provider_mismatch: 827, missing_pending: 2 },
    hash: "3c62b8e2b14c264a", traps: 0, accepted: [[1221, 63], [0, 0]],
  });
});

// The state's decoder reached: a keyless pending value rewritten to hold the URL's forged state. Every state the
// page accepted decodes strictly (the `base64` crate's URL_SAFE_NO_PAD: canonical tails only, no padding) but one,
// the state followed by `.` (read as the state then an empty part, as d6f1564 did).
test("review 129: forged keyless states reach the state decoder, which takes canonical base64url only", async () => {
  assert.deepEqual(await runs.forged, {
    n: 9319, kinds: { invalid_state: 1986, OK: 1448, state_mismatch: 110, invalid_callback: 1234, invalid_argument: 4480, state_expired: 61 },
    hash: "37a530f2a5616bd1", traps: 0, acceptedStrict: 1447, acceptedLoose: 1,
  });
});

// Through the public constructors of both builds: stateMaxAge and timeoutMs from -1 to 1e20 (2^32 - 2 .. 2^32 +
// 300000, 2^53, 2^64 - 2048 included). Only 1-86400 and 1-300000 accepted, the expiry from the value given.
test("review 129: stateMaxAge and timeoutMs at the edges through both builds' constructors", async () => {
  assert.deepEqual(await runs.public, { n: 116, kinds: { invalid_config: 86, OK: 30 }, hash: "28fcf610a1ef4543" });
});

// The encoder with its symbols computed: 8,492 PKCE verifiers (every byte value at each of 32 positions, and 300
// xorshift arrays) are Node's base64url of their random bytes (the `base64` crate's URL_SAFE_NO_PAD), and each
// challenge is the base64url of the verifier's SHA-256; any other count of random bytes is random_unavailable.
test("review 129: the page's base64url encoder against Node's, every byte at every position", async () => {
  const r = await runs.encode;
  assert.deepEqual([r.n, r.mismatches, r.traps], [12092, 0, 0]);
  assert.deepEqual(Object.keys(r.refused).map(Number), [0, 1, 2, 3, 31, 33, 47, 48, 64, 95, 96, 97]);
  assert.ok(Object.values(r.refused).every((code) => code === "random_unavailable"));
});

// List items copied straight from the record's text (`item` through `owned`): a keyed client with a secret holds one
// copy of each state key while it lives (the record's own bytes are gone once `n` answered), the secret none, and
// nothing once `f` freed it; as d6f1564's page.
test("review 129: the state keys' copies in the page's memory after n, t and f", async () => {
  assert.deepEqual(await runs.residue, { afterNew: [1, 1, 0], afterStart: [1, 1, 0], afterFree: [0, 0, 0] });
});

// merge-data.mjs: the shipped modules split again at every zero (596 and 196 segments) and at runs of 8, then
// joined, write the shipped image byte for byte; crafted modules are joined (gaps up to 1023 bytes) or refused
// unchanged (overlap, passive, another memory, a global's address, a custom section, bytes past the segments, two
// instructions, a 6-byte address). An empty segment after another at its address is refused (fails closed). The
// 5-byte address with bits past 32 is finding M's (review129-findings.mjs).
test("review 129: merge-data joins without changing initial memory and refuses what it does not read", async () => {
  const r = await runs.merge;
  for (const f of ["partner_oauth_bg.wasm", "page/partner_oauth_bg.wasm"]) {
    for (const z of ["split1", "split8"]) {
      assert.equal(r[f][z].status, 0, `${f} ${z}`);
      assert.equal(r[f][z].sameImage, true, `${f} ${z}`);
      assert.equal(r[f][z].sameAsShipped, true, `${f} ${z}`);
      assert.equal(r[f][z].segments, r[f].shipped, `${f} ${z}`);
    }
  }
  assert.deepEqual([r["partner_oauth_bg.wasm"].shipped, r["page/partner_oauth_bg.wasm"].shipped], [2, 1]);
  // The page's 205 became 196 when its data moved from 1 MiB to 4 KiB (other bytes in its addresses).
  assert.deepEqual([r["partner_oauth_bg.wasm"].split1.split, r["page/partner_oauth_bg.wasm"].split1.split], [596, 196]);
  const joined = { joinBasic: 1, joinUnordered: 2, gap1023: 1, gap1024: 2, adjacent: 1, emptyFirst: 1, withCount: 1, negative: 2, atTop: 1 };
  for (const [name, segments] of Object.entries(joined)) {
    assert.deepEqual([r[name].valid, r[name].status, r[name].sameImage, r[name].segments], [true, 0, true, segments], name);
  }
  const refused = {
    emptyAfter: "segments overlap at 8", overlap: "segments overlap at 12", same: "segments overlap at 8",
    passive: "segment 0 is not active at an i32.const", explicitMemory: "segment 0 is not active at an i32.const",
    globalAddress: "segment 0 is not active at an i32.const", customSection: "it has a custom section",
    twoInstructions: "segment 0's address is not one i32.const", trailing: "the data section has bytes past its segments",
    address6Bytes: "an address past 32 bits",
  };
  for (const [name, why] of Object.entries(refused)) {
    assert.deepEqual([r[name].status, r[name].unchanged, r[name].message], [1, true, `data segments not joined: ${why}`], name);
  }
});

// The full build's stack pointer is exported as `g` and nothing else, the glue's guard reads `exports.g` (a missing
// export would throw at load), and the page module exports none (tests/pkg/unwind.test.mjs runs the overflows).
test("review 129: the full build's pointer export is g, read by the unwind guard", () => {
  const full = WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(new URL("partner_oauth_bg.wasm", pkg))));
  const page = WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(new URL("page/partner_oauth_bg.wasm", pkg))));
  assert.deepEqual(full.filter((e) => e.kind === "global"), [{ name: "g", kind: "global" }]);
  assert.deepEqual(page.filter((e) => e.kind === "global"), []);
  const glue = readFileSync(new URL("partner_oauth.js", pkg), "utf8");
  assert.match(glue, /const sp = exports\.g, top = unwindGet\(sp\)/);
  assert.doesNotMatch(glue, /__stack_pointer/);
});

// M (informational, build script, from these changes): scripts/merge-data.mjs says it exits 1 for "an address
// that is not one `i32.const`" and its sleb32 refuses "an address past 32 bits" only when a fifth byte has the
// continuation bit. An over-long 5-byte i32.const whose last byte holds bits past 32 (0x80 0x80 0x80 0x80 0x10: an
// invalid module, which no validator accepts) is read wrapped to 0, joined, and written as a VALID module with
// the segment at address 0. No input is checked for validity first; only the output is. wasm-opt writes canonical
// LEBs, so the shipped modules are not affected. Minimal reproduction:
//   node -e 'const u=Uint8Array.from([0,97,115,109,1,0,0,0,5,3,1,0,1,11,17,2,0,65,128,128,128,128,16,11,1,1,0,65,16,11,1,7]);require("fs").writeFileSync("/tmp/m.wasm",u)'
//   node scripts/merge-data.mjs /tmp/m.wasm; echo $?    # 0: "2 joined into 1", the output now validates
test("review129 M: merge-data refuses an i32.const address whose fifth byte holds bits past 32", () => {
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
