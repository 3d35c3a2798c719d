// Review 105 (outside reviewer on c8ca339..d71c71f: token results assembled in JS by src/wasm/token.js, the JSON
// reader, the random pool, the options record's loop, the callback's unsealed pending value). Each scenario runs in
// a child Node process: they patch globals, and A's leaves a client borrowed for good.
import { test } from "node:test";
import assert from "node:assert/strict";
import { child, expectedTokenA, tokenReentry } from "./region.mjs";

// A (medium; regression of c8ca339). tokenParts calls `utf8.decode`, TextDecoder.prototype.decode looked up at call
// time, on `bytes`, a view of the wasm's memory, and reads `bytes.length` and `lengths` (another view) after it. App
// code there that calls the package again (another user's token, here) can grow the memory: both views are detached,
// `ascii` comes out false (bytes.length is 0), and `bytes.subarray` throws "Cannot perform Construct on a detached
// ArrayBuffer" through the wasm. A's parse fails with a TypeError where 84c1ec2's answered A's token, and, the
// exception unwinding the wasm without Rust's drops (review 104 A), client A stays borrowed: free() throws
// "recursive use of an object..." from then on and A's secret is never dropped; the token's bytes (access and refresh
// tokens, raw) are leaked in the wasm's memory. exchangeCode and refresh answer through the same tokenParts.
test("review105 A: app code in TextDecoder.prototype.decode that parses another user's token leaves user A's token and client intact", () => {
  const result = child(tokenReentry(`
const decode = TextDecoder.prototype.decode;
TextDecoder.prototype.decode = function (...args) {
  const text = Reflect.apply(decode, this, args);
  if (text.includes("token-of-user-a")) reenter();
  return text;
};`, "TextDecoder.prototype.decode = decode;"));
  // Since the fix the decoder's decode is taken at load and the patched one never runs (inner stays null); on
  // 53a7c09 B's parse ran inside A's and A's failed.
  assert.ok(result.inner === null || result.inner === "token-of-user-b", `B's parse: ${JSON.stringify(result.inner)}`);
  assert.deepEqual({ outer: result.outer, free: result.free }, { outer: expectedTokenA, free: "freed" });
});

// B (medium; regression of c8ca339). Silently wrong fields, no error: tokenParts reads `lengths[i]` (a view of the
// wasm's memory) lazily, part by part, between calls of String.prototype.slice (and Array.prototype.push for the
// scopes), both looked up at call time. App code in either that calls the package again and grows the memory
// detaches the view: every later length reads `undefined`, so every later part is "" (not null), and the scopes
// loop stops. User A's token comes back with tokenType "", refreshToken "" (the refresh token lost: the app stores
// a token it cannot refresh), companyId "", raw "" and no scopes; with push, the scopes after the first are lost.
// 84c1ec2 read the whole answer with JSON.parse from one string: no app code between its parts.
test("review105 B: app code in String.prototype.slice or Array.prototype.push does not change user A's token's fields", () => {
  const sliced = child(tokenReentry(`
const slice = String.prototype.slice;
String.prototype.slice = function (...args) {
  const out = Reflect.apply(slice, this, args);
  if (out === "token-of-user-a") reenter();
  return out;
};`, "String.prototype.slice = slice;"));
  const pushed = child(tokenReentry(`
const push = Array.prototype.push;
Array.prototype.push = function (...args) {
  if (args[0] === "read") reenter();
  return Reflect.apply(push, this, args);
};`, "Array.prototype.push = push;"));
  // 84c1ec2 calls neither hook with A's texts (inner stays null); today's build does, and B's parse answers.
  assert.ok([null, "token-of-user-b"].includes(sliced.inner) && [null, "token-of-user-b"].includes(pushed.inner));
  assert.deepEqual({ sliced: sliced.outer, pushed: pushed.outer }, { sliced: expectedTokenA, pushed: expectedTokenA });
});

// C (low; older: the pool's RefCell since the pool came in, unchanged by a1522e6, which only makes its refill rarer).
// random::fill holds the pool's RefCell borrowed across the refill's crypto.getRandomValues, which wasm-bindgen's
// glue looks up at call time (globalThis.crypto.getRandomValues). App code there (a wrapped getRandomValues: metrics,
// a test double, a polyfill) that starts another flow re-enters fill: borrow_mut panics ("already borrowed"), which
// with panic=immediate-abort is a wasm trap ("RuntimeError: unreachable"), not random_unavailable; the trap leaves
// wasm-bindgen's borrow of client B set (review 104 A), so B.free() is refused from then on and B's secret is never
// dropped. No byte is served twice (the panic sees to that). Suggested: `try_borrow_mut`, and on a busy pool the
// bytes straight from the platform (`from_platform(bytes)`), never from the pool.
test("review105 C: a flow started from inside crypto.getRandomValues answers (or refuses) without a trap, and its client can be freed", () => {
  const result = child(`
const { OAuthClient } = await import(pkg + "node.js");
const make = (id) => new OAuthClient({ provider: "billit", clientId: id, clientSecret: "secret-" + id, redirectUri });
const a = make("a"), b = make("b");
const getRandomValues = crypto.getRandomValues;
let inner = null;
crypto.getRandomValues = function (view) {
  if (inner === null) {
    inner = "running";
    inner = answer(() => ({ code: b.startAuthorization({}).state ? "started" : "no state" }));
  }
  return Reflect.apply(getRandomValues, crypto, [view]);
};
const outer = answer(() => ({ code: a.startAuthorization({}).state ? "started" : "no state" }));
crypto.getRandomValues = getRandomValues;
let free = "freed";
try { b.free(); } catch (e) { free = e.message; }
console.log(JSON.stringify({ outer, inner, free }));
`);
  assert.equal(result.outer, "started", "precondition");
  assert.ok(["started", "random_unavailable"].includes(result.inner), `inner: ${result.inner}`);
  assert.equal(result.free, "freed");
});

// D (low; older: 84c1ec2's Rust built the same descriptor with Object::new() and Reflect.set; token.js keeps it). The
// descriptor that makes `raw` non-enumerable, `{ value: raw }`, inherits from Object.prototype, and
// Object.defineProperty reads `enumerable`, `get`, `set`... through the prototype chain. After a prototype pollution
// elsewhere in the app (`Object.prototype.enumerable = true`), `raw` (the whole body: id_token and every other field)
// is enumerable, so JSON.stringify(token), a spread or a logger print it; with `Object.prototype.get` set, every parse
// throws a TypeError through the wasm and the client is borrowed for good (review 104 A). Suggested:
// `{ __proto__: null, value: raw }` (and Object.defineProperty taken at load).
test("review105 D: a polluted Object.prototype neither makes a token's raw enumerable nor breaks the parse", () => {
  const result = child(`
const { OAuthClient } = await import(pkg + "node.js");
const a = new OAuthClient({ provider: "billit", clientId: "a", clientSecret: "s", redirectUri });
const body = JSON.stringify({ access_token: "at", token_type: "Bearer", id_token: "id-token-of-user-a" });
Object.prototype.enumerable = true;
const enumerable = answer(() => ({ code: Object.getOwnPropertyDescriptor(a.parseTokenResponse({ status: 200, body }), "raw")?.enumerable }));
delete Object.prototype.enumerable;
Object.defineProperty(Object.prototype, "get", { value: () => "polluted", configurable: true, writable: true });
const parsed = answer(() => ({ code: a.parseTokenResponse({ status: 200, body }).accessToken }));
delete Object.prototype.get;
let free = "freed";
try { a.free(); } catch (e) { free = e.message; }
console.log(JSON.stringify({ enumerable, parsed, free }));
`);
  assert.deepEqual(result, { enumerable: false, parsed: "at", free: "freed" });
});

// E (medium; older: the pool's refill through a view of the wasm's memory since the pool came in; a1522e6 widens it
// from 21 flows to 341). random::fill refills the pool through getrandom, whose glue hands
// globalThis.crypto.getRandomValues (looked up at call time) a view of the pool in the wasm's memory. App code in a
// wrapped getRandomValues that calls the package (here another client's parseTokenResponse, whose body grows the
// memory) before calling the real one detaches that view: a detached Uint8Array has length 0, getRandomValues fills
// nothing and does not throw, so the refill "succeeds" and the pool serves what it held, zeros (handed-out bytes are
// zeroed; a fresh pool is zeros). Every flow of every client of the instance, for the next 341 starts, gets an
// all-zero PKCE verifier and state nonce: the same state for every user (a state from one user's flow passes for
// another's; CSRF), and a code_challenge anyone can compute (PKCE's protection gone). Suggested: draw into a
// JS-owned array and copy it in, or check the refill (a pool, or any 48-byte draw, left all zero is
// random_unavailable), and take getRandomValues at load.
test("review105 E: a wrapped crypto.getRandomValues that calls the package never leaves flows with a predictable verifier and state", () => {
  const result = child(`
const { OAuthClient } = await import(pkg + "node.js");
const make = (id) => new OAuthClient({ provider: "payout", clientId: id, clientSecret: "secret-" + id, redirectUri });
const a = make("a"), b = make("b");
const getRandomValues = crypto.getRandomValues;
let calls = 0;
crypto.getRandomValues = function (view) {
  if (calls++ === 0) answer(() => b.parseTokenResponse({ status: 200, body: JSON.stringify({ access_token: "t", token_type: "Bearer", pad: "x".repeat(900000) }) }));
  return Reflect.apply(getRandomValues, crypto, [view]);
};
const flows = [];
for (let i = 0; i < 4; i++) { try { flows.push((i % 2 ? b : a).startAuthorization({})); } catch (e) { flows.push(null); } }
crypto.getRandomValues = getRandomValues;
const started = flows.filter(Boolean);
const challenge = (f) => new URL(f.url).searchParams.get("code_challenge");
const zero = Buffer.from(await crypto.subtle.digest("SHA-256", new TextEncoder().encode("A".repeat(43)))).toString("base64url");
console.log(JSON.stringify({
  calls,
  started: started.length,
  states: new Set(started.map((f) => f.state)).size,
  challenges: new Set(started.map(challenge)).size,
  zeroVerifier: started.filter((f) => challenge(f) === zero).length,
}));
`);
  assert.ok(result.calls >= 1, "precondition: the wrapper ran");
  // Each flow that starts (a refusal, random_unavailable, is fine) has its own state and verifier, none all-zero.
  assert.deepEqual(
    { states: result.states, challenges: result.challenges, zeroVerifier: result.zeroVerifier },
    { states: result.started, challenges: result.started, zeroVerifier: 0 },
  );
});

// F (low to medium; older: results.js' callbackParts/callback since the fast entry, the pattern token.js copied in
// c8ca339). The same cause as A in the callback's answer: callbackParts calls utf8.decode (TextDecoder.prototype.decode,
// looked up at call time) on a view of the wasm's memory and reads `bytes.length` after it. App code there that calls
// the package (another user's token parse, whose body grows the memory) detaches the view: the lengths differ, the
// fallback `callback` decodes the detached view to "", whose length is the detached view's (0), so it reads as ASCII,
// and every part is a slice of "": parseCallback answers { code: "", state: "", flowId: "" } for a good callback,
// no error. Suggested (A, B and F): copy the views first (constructors and decode taken at load), then decode.
test("review105 F: app code in TextDecoder.prototype.decode that parses another user's token leaves user A's callback result intact", () => {
  const result = child(`
const { OAuthClient } = await import(pkg + "node.js");
const make = (id) => new OAuthClient({ provider: "billit", clientId: id, clientSecret: "secret-" + id, redirectUri });
const a = make("a"), b = make("b");
const flow = a.startAuthorization({});
const url = redirectUri + "?code=code-of-user-a&state=" + flow.state;
const decode = TextDecoder.prototype.decode;
let inner = null;
TextDecoder.prototype.decode = function (...args) {
  const text = Reflect.apply(decode, this, args);
  if (inner === null && text.includes("code-of-user-a")) {
    inner = "running";
    inner = answer(() => ({ code: b.parseTokenResponse({ status: 200, body: JSON.stringify({ access_token: "token-of-user-b", token_type: "Bearer", pad: "x".repeat(900000) }) }).accessToken }));
  }
  return text;
};
let outer;
try {
  const r = a.parseCallback(url, flow.pending);
  outer = { code: r.code, state: r.state === flow.state, flowId: r.flowId === flow.flowId };
} catch (e) { outer = e?.code ?? e?.constructor?.name; }
TextDecoder.prototype.decode = decode;
console.log(JSON.stringify({ outer, inner }));
`);
  assert.ok([null, "token-of-user-b"].includes(result.inner), `inner: ${result.inner}`);
  assert.deepEqual(result.outer, { code: "code-of-user-a", state: true, flowId: true });
});
