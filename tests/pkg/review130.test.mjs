// Review 130 (outside reviewer on helper cb48's page-build changes, 83b73c8..f747cc0: the page's `Message` as one
// u16, code index in the low byte and message id in the high byte; the callback and start paths' one-caller
// functions `inline(always)` in the page build). Differential runs of d6f1564's and f747cc0's page builds
// (page-node.js), with the same random bytes (xorshift) and clock, gave identical answers everywhere; the values
// below are f747cc0's, frozen. One low finding, older than these changes (A, fixed test first: it fails on f747cc0): a
// page client with a stateKey (Node: no DOM) leaves its key's HMAC opad block (the key XOR 0x5c) and SHA-256's outer
// state on the shadow stack after free(), and a refused forged pending value leaves the seal it should have had.
// The scripts are review130-scripts.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { childRunner } from "./child.mjs";
import { PAGE_MESSAGES } from "../../pkg/error-codes.js";

const pkg = new URL("../../pkg/", import.meta.url).href;
const scripts = new URL("./review130-scripts.mjs", import.meta.url).href;
const run = childRunner(scripts, pkg);
// subtle's `ct_eq` over two slices as the page module ships it (d6f1564's and f747cc0's bodies are byte-identical):
// a length test, then one loop over every byte whose only branches are on the count (`if (local.get $1)`, `br 1`),
// each byte's equality stored to and read back from memory below the stack pointer (subtle's volatile `black_box`)
// and and-ed into the answer; no early exit on a difference.
// Compared up to a renaming of its declared locals (review 146): scripts/order-locals.mjs numbers them for gzip, so
// any change elsewhere may swap them (80ccda8 pinned the swapped bytes once); every opcode, constant, branch and
// parameter is still pinned. d6f1564's bytes:
const CT_EQ =
  "01027f2001200346047f41012103034020010440230041106b220420022d000020002d0000732205410020056b72c041004e3a000f200320042d000f712103200141016b2101200241016a2102200041016a21000c010b0b230041106b220020033a000f20002d000f4100470541000b0b";
const runs = {
  errors: run("s.pageErrors(pkg)"),
  fuzz: run("s.pageFuzz(pkg, 1302, 3000)"),
  starts: run("s.pageStarts(pkg, 1304, 1500)"),
  residue: run("s.pageResidue(pkg, false)"),
  keyed: run("s.pageResidue(pkg, true)"),
  compares: run(`s.compares(pkg, ${JSON.stringify(CT_EQ)})`),
  a: run("s.keyAfterFree(pkg)"),
};

// Held: every refusal of the page's constructor (79 option sets, every provider and environment, a DOM's secrets),
// start (24 option sets, token kinds, grants, a 70,000-byte pending field, failing random bytes) and callback (31
// URLs x 10 pending values; iss; cross-client; ages around stateMaxAge; sealed, unsealed, re-sealed and wrongly
// sealed pending values with signed, unsigned, forged, truncated, versioned, non-UTF-8, trailing, future states;
// provider errors with descriptions and URIs), PKCE's and a freed client's: 1,017 answers, each error's code,
// message and every own field, byte-identical between d6f1564 and f747cc0. Their messages reach all of raw.js'
// page table but `CallbackNoRoom` (callback_buffers sizes the buffers: unreachable) and the full-only blanks.
test("review130 (held): the page's errors carry d6f1564's codes and messages", async () => {
  const r = await runs.errors;
  assert.equal(r.n, 1017);
  assert.equal(r.sha, "9179af569910ce00");
  const texts = new Set();
  for (const o of r.out) for (const m of JSON.stringify(o).matchAll(/"ERR","OAuthError","[a-z_]+","((?:[^"\\]|\\.)*)"/g)) texts.add(JSON.parse(`"${m[1]}"`));
  const missed = PAGE_MESSAGES.flatMap((t, id) => (t.length === 1 && t[0] === "") || [...texts].some((x) => t.every((p) => x.includes(p))) ? [] : [id]);
  assert.deepEqual(missed, [12, 82, 83]);
  assert.equal(PAGE_MESSAGES[12][0], "the callback does not fit the buffers given");
  // dd56 split "{} must be a string" into whole messages: the glue's option readers always hand the wasm a string,
  // so the client's and the start's options (as before, when they were that template's parts) are never refused so.
  assert.deepEqual([PAGE_MESSAGES[82][0], PAGE_MESSAGES[83][0]], ["the client options must be a string", "the start options must be a string"]);
  // The highest ids, the u16's high byte: the last messages of the table, with their codes.
  const find = (re) => JSON.stringify(r.out).match(re)?.[0];
  assert.ok(find(/"random_unavailable","the platform could not supply random bytes"/));
  assert.ok(find(/"invalid_argument","a PKCE verifier must be 43 to 128 characters/));
  assert.ok(find(/"invalid_argument","params.state is already sent/));
});

// Held: 3,000 fuzzed callbacks (seeded: mutated, swapped and forged pending values and states, other clients' flows,
// iss mix-ups, duplicated and percent-encoded names, ages around stateMaxAge) over 8 clients (none, two or one state
// key, an issuer, a 5 s max age, payout production and sandbox, another client id). d6f1564 and f747cc0 gave the
// same answers to these and to 240,000 more (seeds 11 to 14, 60,000 each).
test("review130 (held): fuzzed callbacks refuse in d6f1564's order", async () => {
  const r = await runs.fuzz;
  assert.equal(r.sha, "52794eb4b3fe3c9a");
  assert.deepEqual(r.tally, { invalid_pending: 811, provider_mismatch: 1342, invalid_callback: 351, authorization_error: 100, ok: 70, access_denied: 64, missing_code: 28, issuer_mismatch: 37, state_mismatch: 180, state_expired: 17 });
});

// Held: 1,500 fuzzed starts (scopes, payloads to past 2,048 bytes in UTF-8, params, token kinds) on 12 clients, each
// parsed back: URL, state, pending value and callback identical to d6f1564's (and 40,000 more, seeds 1304 and 77).
test("review130 (held): the inlined start writes d6f1564's state and pending value", async () => {
  const r = await runs.starts;
  assert.equal(r.sha, "e31f9c33074284cc");
  assert.deepEqual(r.tally, { ok: 637, invalid_argument: 687, "back:issuer_mismatch": 58, "back:input_too_large": 11, input_too_large: 107 });
});

// Held: the shipped page module keeps one constant-time compare, d6f1564's bytes exactly, not inlined by the new
// `inline(always)`s: the callback export calls it for the state and through `StateKeys::verify` (which calls it per
// key) for the pending seal and the state's signature.
test("review130 (held): ct::eq and StateKeys::verify are still constant-time in the page wasm", async () => {
  const r = await runs.compares;
  assert.equal(r.imports, 0);
  assert.equal(r.same.length, 1);
  const callback = r.exports.c;
  assert.ok(r.direct.includes(callback), "the callback compares the state with ct::eq");
  const verify = r.direct.filter((f) => f !== callback);
  assert.equal(verify.length, 1);
  assert.ok(r.indirect.find(([f]) => f === verify[0])[1].includes(callback), "the callback calls verify");
});

// Held: no new residue. After a start, a callback and a refused callback, the page's memory holds what d6f1564's did:
// the keyless flow's verifier (base64url) on the dead stack (the page stores it in its pending value); no code, state,
// pending text or payload. After free(), nothing (A's fix wipes the dead stack; d6f1564 left the verifier).
test("review130 (held): a keyless page flow leaves d6f1564's residue, no more", async () => {
  const r = await runs.residue;
  assert.equal(r.ok, true);
  const found = (s) => Object.fromEntries(Object.entries(s).filter(([, v]) => v.stack || v.heap));
  // Layout, not behaviour: the verifier's copies on the dead stack after a callback and a refused one were 3 at
  // 4176818 (d6f1564's count) and moved 2, 3, 2 with this session's start frames (st52, rs53, nn54). So held as the
  // title says: no more copies than d6f1564 left, none on the heap, nothing else.
  for (const after of [r.afterCallback, r.afterRefused]) {
    const left = found(after);
    assert.deepEqual(Object.keys(left), ["verifier"]);
    assert.equal(left.verifier.heap, 0);
    assert.ok(left.verifier.stack >= 1 && left.verifier.stack <= 3, `stack: ${left.verifier.stack}`);
  }
  assert.deepEqual(found(r.afterFree), {});
});

// Held, keyed: f747cc0 leaves fewer copies than d6f1564 (after free: 2 opad blocks and no inner SHA-256 state, where
// d6f1564 left 4 and the inner state); the key itself is zeroed with the client.
test("review130 (held): a keyed page flow leaves no more key material than d6f1564", async () => {
  const r = await runs.keyed;
  assert.equal(r.ok, true);
  assert.deepEqual(r.afterFree.key, { stack: 0, heap: 0 });
  assert.ok(r.afterFree["key:opad"].stack <= 4);
  assert.deepEqual(r.afterFree["key:innerLE"], { stack: 0, heap: 0 });
  // Layout, not behaviour: no inner state after a callback from f747cc0 until an55's 88b33fc, where set_slots stopped
  // building the slots on the stack below the export's frame (its 96 bytes overwrote this dead copy by chance); one
  // copy now, as d6f1564 left (it kept it after free() too). While the client lives its key is on the heap anyway.
  assert.deepEqual(r.afterCallback["key:innerLE"], { stack: 1, heap: 0 });
});

// Finding A (low, older than these changes; d6f1564 the same or worse): the page build's HMAC (`keys::mac`) XORs the
// state key into its ipad and then opad block on the shadow stack and never zeroes them, and `StateKeys::verify`'s
// tag (`ours`) is left where it was computed. A page client with a stateKey (allowed where there is no DOM: Node,
// Deno, Bun) thus leaves after free() the opad block, whose first 32 bytes XOR 0x5c are a 32-byte key, and SHA-256's
// state after it; after a refused pending value whose seal was forged, the seal it should have had (a MAC the caller
// could not make) stays in memory. The page's free() did not wipe the stack (review 127 B's choice, argued for the
// verifier, which the page stores anyway; a key is not in the pending value); it does now, as release() does.
test("review130 A: a keyed page client's key and MACs stay on the shadow stack after free()", async () => {
  // On f747cc0 (and d6f1564): { key: false, opad: "stack", recovered: true }.
  assert.deepEqual(await runs.a, { key: false, opad: null, recovered: false }, "the key, read back from its opad block");
  const r = await runs.keyed;
  assert.deepEqual(r.afterFree["key:opad"], { stack: 0, heap: 0 }, "the key XOR 0x5c");
  assert.deepEqual(r.afterFree["key:outerLE"], { stack: 0, heap: 0 }, "SHA-256's state after the opad block");
  assert.deepEqual(r.afterFree.forgedSeal, { stack: 0, heap: 0 }, "the seal a forged pending value should have had");
  assert.deepEqual(r.afterFree.forgedSig, { stack: 0, heap: 0 }, "the signature a forged state should have had");
});
