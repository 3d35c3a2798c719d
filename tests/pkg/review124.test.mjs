// Review 124 (outside reviewer on 94ea7a7..43ccdf0, items 1 and 3 of its brief: the page's stack pointer put back at
// each entry in raw.js instead of a try/catch per export (sp45), and the full build's Exchange/JwtCheck release over
// an Rc slot, the client's count dropped before its answers and the random pool in cells (sb45)). Confirmed nothing;
// these pin what held, with values frozen from 43ccdf0. Scripts: tests/pkg/review124-scripts.mjs, each run in a child
// Node process (a fresh package; some replace builtins or leave overflows behind).
import { test } from "node:test";
import assert from "node:assert/strict";
import { childRunner } from "./child.mjs";
import { PAGE_TOP } from "./stack.mjs";

const pkg = new URL("../../pkg/", import.meta.url).href;
const run = childRunner(new URL("./review124-scripts.mjs", import.meta.url).href, pkg);

// Held: 30 starts (with and without scopes), their callbacks (code, provider error, wrong state), verifiers,
// challenges and five refusals, with the clock and random bytes fixed: 94ea7a7's page build answered the same, byte
// for byte.
test("review124 (held): the page's answers with a fixed clock and random bytes are 94ea7a7's", async () => {
  assert.deepEqual(await run(`s.pageAnswers(pkg)`), { lines: 186, sha256: "d32900b9847ca748aca512b027074f45a6ea4899b264290745eece649787d8fb" });
});

// Held: each page entry (start, callback, a refused callback, verifier, challenge, constructor + free, a getter) at
// every depth near the JS stack's limit (thousands of overflows, some inside the wasm), then a whole flow: it answers
// as before, the stack pointer stands at its top between calls, and the memory did not grow past its first size.
test("review124 (held): page entries unwound at every depth leave the instance answering, the pointer at its top", async () => {
  const flow = ["abc", 43, "ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA"];
  const got = await run(`s.pageDepths(pkg)`);
  assert.equal(got.overflowed, true, "precondition: overflows happened");
  assert.deepEqual(Object.keys(got.other), ["invalid_pending"]);
  for (const [name, after] of Object.entries(got.after)) assert.deepEqual(after, flow, name);
  assert.equal(got.top, PAGE_TOP);
  // 22 pages with the link's 1 MiB stack (17 at the start); 6 with the page's 4 KiB stack (1 at the start).
  assert.ok(got.memory <= 6 * 65536, `memory ${got.memory}`);
});

// Held (the argument of raw.js' `enter`): app code a page call reaches between two exports (a getRandomValues
// refill, a Proxy's traps on the start's options, a replaced encodeInto or TextDecoder's decode) makes page calls of
// another client with overflows at every depth; the outer call still answers with its own flow (its code, refused by
// the other client), no inner state repeats, and the pointer is back at its top.
test("review124 (held): page calls inside a page call, overflowing, leave the outer flow its own bytes", async () => {
  const got = await run(`s.pageNested(pkg)`);
  const own = (k) => [`outer${k}`, "provider_mismatch"];
  assert.deepEqual(got, {
    random: [0, 1, 2, 3, 4, 5].map(own),
    proxy: "px",
    encodeInto: own("E"),
    decode: own("D"),
    after: own("F"),
    innerDistinct: true,
    overflowed: true,
    top: PAGE_TOP,
  });
});

// Held: an Exchange released inside its own finish (an app's clock) refuses the rest of that call and later calls
// with invalid_argument, a second release is a no-op and free() answers; free() inside the call is a release there
// (since N1's fix; wasm-bindgen's free() was refused and the call answered); a client freed inside an exchange's
// finish lets it answer and its secret goes with the exchange's release; a clock that throws reaches the caller as
// itself, and release() then answers. No refresh token stays in memory in any of them.
test("review124 (held): an Exchange released or freed during its own call, and its client freed there", async () => {
  assert.deepEqual(await run(`s.exchangeRelease(pkg)`), {
    A: { finish: "invalid_argument", again: "undefined", request: "invalid_argument", scrub: "invalid_argument", free: "undefined", held: false },
    B: { finish: "invalid_argument", inner: "undefined", release: "undefined", held: false },
    C: { finish: "at-2", client: "invalid_argument", heldBefore: true, heldAfter: false },
    D: { finish: "Error: the app's clock failed", release: "undefined", held: false },
  });
});

// Finding N1 (noted in review 124, fixed test first in the twenty-seventh session): a second wasm-bindgen free() of
// an Exchange (the `prepare*` methods hand one out) threw an untyped "null pointer passed to rust", and a call after
// free() another. free() is release() now, as the client's: twice is a no-op, later calls answer invalid_argument.
test("review124 N1: an Exchange freed twice throws an untyped error", async () => {
  assert.deepEqual(await run(`s.exchangeFreedTwice(pkg)`), {
    free: "undefined", again: "undefined", request: "invalid_argument", release: "undefined",
    dispose: ["undefined", "undefined"], held: false, refresh: "at-2",
  });
});

// Held: an Exchange's request, scrub, readsSuccessBody and finish each at every depth near the limit; release()
// and free() answer for all four (before N1's fix, wasm-bindgen's free() refused the one whose call held its borrow
// when unwound), the refresh token is gone; public refreshes begun near the limit answer with a
// token, their own RangeError, or network_error (an overflow inside the app's fetch, which io.js reports as fetch's
// failure), and the client answers and frees afterwards.
test("review124 (held): Exchange calls unwound at every depth, then release(), free() and later refreshes", async () => {
  assert.deepEqual(await run(`s.exchangeDepths(pkg)`), {
    overflowed: true,
    other: {},
    release: ["undefined", "undefined", "undefined", "undefined"],
    free: ["undefined", "undefined", "undefined", "undefined"],
    held: false,
    refreshes: ["RangeError", "network_error", "token at-2"],
    after: "at-2",
    freed: "undefined",
  });
});

// Held (fails on 94ea7a7: 3,410 refills, one a start, once an overflow left the pool's RefCell borrowed): after
// overflows at every depth inside starts and verifiers, and starts and verifiers overflowing inside a refill's
// getRandomValues, no state or verifier repeats (no byte handed out twice) and 3,410 starts take 10 refills of the
// 16 KiB pool.
test("review124 (held): the full build's random pool after unwound draws and nested refills", async () => {
  assert.deepEqual(await run(`s.pool(pkg)`), { overflowed: true, other: {}, distinct: true, many: true, refills: 10 });
});

// Held: after verifyAccessToken with an HS256 JWK, a refresh that rotates the refresh token and the client's free(),
// the wasm's memory holds none of the key (as given and decoded), the JWT's subject or signature, the old or new
// tokens, or the client secret.
test("review124 (held): no JWT key, token or client secret left in memory after use", async () => {
  assert.deepEqual(await run(`s.secretsAfterUse(pkg)`), {
    verified: true,
    jwt: [false, false, false, false],
    refreshed: true,
    refresh: [false, false, false],
    clientSecret: false,
  });
});

// Held (fails on 94ea7a7: the check's wasm-bindgen free() masked a throwing clock with "attempted to take ownership",
// and the key and subject stayed in memory): verifyAccessToken with a JWKS of two HS256 keys for the token's kid, app
// code throwing from the n-th JSON.parse, Date.now, importKey or verify call. Every answer fails closed (a key the
// app's throw kept out leaves only the wrong one: invalid_signature; claims JSON.parse refused: invalid_jwt) or is the
// app's own error, and neither key nor subject stays in memory after any of them.
test("review124 (held): a JWT check whose imports throw answers with its own error or fails closed, its key and token gone", async () => {
  assert.deepEqual(await run(`s.jwtThrows(pkg)`), {
    parse: [["invalid_signature", false], ["verified", false], ["app parse 3", false], ["invalid_jwt", false]],
    now: [["app now 1", false], ["verified", false], ["verified", false], ["verified", false]],
    importKey: [["invalid_signature", false], ["verified", false], ["verified", false], ["verified", false]],
    verify: [["invalid_signature", false], ["verified", false], ["verified", false], ["verified", false]],
    after: true,
  });
});
