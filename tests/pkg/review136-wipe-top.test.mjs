// Review 136 (helper wp52, from 4176818; rr51's note in review 135): free() wiped the shadow stack only below a zeroed
// mark in the wipe's own frame, so what lay above the mark, at the stack's top, survived it. In the page module the
// wipe is inlined into `f` at the top and 8 bytes lie above its mark (a slot holding the mark's address, and 4 bytes
// a callee's frame wrote); in the full build, release()'s and its export's frames (~120 bytes) lie above it, and what
// earlier exports left where those frames write nothing survives free(). Whether the wipe was complete depended on the
// frames' sizes and layout. Fixed test first: both fail on 4176818. The scripts are review136-scripts.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { childRunner } from "./child.mjs";

const pkg = new URL("../../pkg/", import.meta.url).href;
const scripts = new URL("./review136-scripts.mjs", import.meta.url).href;
const run = childRunner(scripts, pkg);
const runs = {
  page: run("s.planted(pkg, 'page-node.js')"),
  full: run("s.planted(pkg, 'node.js')"),
  pageKeyed: run("s.realistic(pkg, 'page-node.js')"),
  fullKeyed: run("s.realistic(pkg, 'node.js')"),
  nested: run("s.nested(pkg)"),
};
const clean = { top64: [], below: 0, pointer: true };
const lasts = ["ctor", "start", "callback", "pkce", "twice"];

// The stack's top 64 KiB (the wipe's reach) set to 0xa5 between calls, after each kind of last call (twice: a second
// free(), which the page's glue sends as handle 0), then free(): every byte is zero, and the pointer is back at the
// top. On 4176818 the page left 4 to 7 non-zero bytes in the top 8 (the mark's address, a callee's word) whatever the
// last call.
test("wipe-top: free() leaves no byte of the stack's top 64 bytes unzeroed", async () => {
  assert.deepEqual(await runs.page, Object.fromEntries(lasts.map((l) => [l, clean])));
});

// The full build: on 4176818 its free() left 40 to 51 of the top 64 bytes non-zero, 0xa5 among them, and 8 to 17
// below (the frames of release() and its export).
test("wipe-top (full build): free() leaves no byte of the stack's top 64 bytes unzeroed", async () => {
  assert.deepEqual(await runs.full, Object.fromEntries(lasts.map((l) => [l, clean])));
});

// A keyed client's start and callback, then free(): none of its key, HMAC pads, SHA-256 states (both byte orders),
// verifier, code or state anywhere in memory; and none when an earlier frame had left the key, its opad block and both
// states in the stack's top 64 bytes. On 4176818 the full build kept the outer state (little-endian) 48 bytes below
// the top; the page's callees happened to overwrite all of it.
test("wipe-top: a keyed client's start and callback, then free(), leave none of its key or HMAC state in memory", async () => {
  assert.deepEqual(await runs.pageKeyed, { plain: {}, planted: {} });
  assert.deepEqual(await runs.fullKeyed, { plain: {}, planted: {} });
});

// The full build, app code freeing the client during its own start (the clock the wasm calls mid-start): the start
// still answers, a later one is invalid_argument, and once the start has returned nothing is left in the stack's top
// 64 KiB; nor after a free() outside any call. Without unwind.js' wipe (release() zeroing only below its own frame,
// under the start's live ones) 104 and 54 non-zero bytes were left.
test("wipe-top (full build): a client freed by app code during a call leaves the stack's top zeroed once it returns", async () => {
  const clean = { answer: "started", left: 0, later: "invalid_argument", pointer: true };
  assert.deepEqual(await runs.nested, { during: { calls: 1, ...clean }, after: { calls: 0, ...clean } });
});

// The full build, a client the app never freed: wasm-bindgen's FinalizationRegistry cleanup (`__wbg_oauthclient_free`)
// drops it once it is collected, and no free() ever runs. wp52's glue wiped only after `oauthclient_release`, so the
// collected client's last start and callback left the stack's top as they were (all 65,536 planted bytes).
test("wipe-top (full build): a client dropped by its FinalizationRegistry cleanup leaves the stack's top zeroed", async () => {
  assert.deepEqual(await run("s.collected(pkg)"), { cleanups: 1, left: 0, pointer: true });
});
