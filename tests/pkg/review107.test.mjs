// Review 107 (outside reviewer on d3dc72e, review 105's fixes: results.js reads every byte of a result before its
// first cut, the random pool's busy path and its all-zero check). Each scenario runs in a child Node process: they
// patch globals, and some leave a client borrowed for good.
import { test } from "node:test";
import assert from "node:assert/strict";
import { child, expectedTokenA, tokenReentry } from "./region.mjs";

// A (medium; the fix of review 105 A/B is incomplete). tokenParts still reaches app code between taking its views
// of the wasm's memory (`bytes`, `lengths`) and reading them: `bytes.length` and `lengths.length` go through
// %TypedArray%.prototype's `length` getter, and `new Float64Array(count)` (new in d3dc72e) looks up the global
// Float64Array, all at call time, all before the loop that reads `lengths[i]` and `bytes[i]`. App code there that
// parses another user's token grows the memory and detaches both views: every length reads `undefined`, every end
// NaN, so user A's token comes back with accessToken "", refreshToken "" (an app stores a token it can neither use
// nor refresh), companyId "" (not null), raw "", scopes ["", "", ""], and no error. With the hook on `bytes.length`
// instead, `count` is 0, `extra` undefined and JSON.parse throws through the wasm: client A stays borrowed for good
// (free() refused, its secret never dropped). 84c1ec2's package answers A's token in the first two cases and, in the
// third, refuses it with client A still freeable. Suggested: read `lengths` into own numbers, and `bytes`' length,
// before any lookup (typed arrays' `length` getter and constructors taken at load, or counts passed as numbers by
// the Rust side); nothing the app can replace between the views' creation and the last byte read.
test("review107 A: app code in a typed array's length getter or a replaced Float64Array leaves user A's token intact", () => {
  const getter = child(tokenReentry(`
const TA = Object.getPrototypeOf(Uint8Array.prototype);
const length = Object.getOwnPropertyDescriptor(TA, "length");
Object.defineProperty(TA, "length", { configurable: true, get() {
  const n = length.get.call(this);
  if (this instanceof Uint32Array) reenter();
  return n;
} });`, `Object.defineProperty(TA, "length", length);`));
  const constructed = child(tokenReentry(`
const F64 = Float64Array;
globalThis.Float64Array = new Proxy(F64, { construct(target, args, newTarget) {
  if (args[0] >= 6 && args[0] < 64) reenter();
  return Reflect.construct(target, args, newTarget);
} });`, `globalThis.Float64Array = F64;`));
  const bytesLength = child(tokenReentry(`
const TA = Object.getPrototypeOf(Uint8Array.prototype);
const length = Object.getOwnPropertyDescriptor(TA, "length");
const probe = new TextDecoder();
Object.defineProperty(TA, "length", { configurable: true, get() {
  const n = length.get.call(this);
  if (inner === null && this instanceof Uint8Array && n > 0 && n < 4096 && probe.decode(this).includes("refresh-of-user-a")) reenter();
  return n;
} });`, `Object.defineProperty(TA, "length", length);`));
  for (const r of [getter, constructed, bytesLength]) assert.ok([null, "token-of-user-b"].includes(r.inner), `inner: ${r.inner}`);
  // With the hook on `bytes.length`, 84c1ec2's glue (decodeText reads it too) refuses A's parse; a refusal is
  // tolerated there, a client left borrowed is not.
  assert.deepEqual(
    { getter: getter.outer, constructed: constructed.outer, free: bytesLength.free },
    { getter: expectedTokenA, constructed: expectedTokenA, free: "freed" },
  );
});

// B (low; widened by d3dc72e from the scopes to every field). tokenParts gathers the parts with `parts[i] = ...` on
// a plain array, an ordinary [[Set]] that walks Array.prototype and Object.prototype for an accessor or a read-only
// property at that index (c8ca339's token.js did so only for the scopes, by push). After a pollution elsewhere in
// the app, `Object.defineProperty(Object.prototype, "2", { value })` (read-only by default), every parse throws
// "Cannot assign to read only property '2'" (modules are strict) through the wasm, leaving the client borrowed for
// good; a setter at index 0 receives user A's access token and the result has accessToken undefined. 84c1ec2 built
// the token with JSON.parse (own data properties only). Suggested: a Float64Array of ends (own indices) as now and
// locals for the parts, or Object.defineProperty-free own writes (`parts.push` is no better).
test("review107 B: a polluted array index neither breaks a token parse nor takes its access token", () => {
  const result = child(`
const { OAuthClient } = await import(pkg + "node.js");
const a = new OAuthClient({ provider: "billit", clientId: "a", clientSecret: "s", redirectUri });
const body = JSON.stringify({ access_token: "token-of-user-a", token_type: "Bearer", refresh_token: "refresh-of-user-a", scope: "read write" });
const fields = () => { const t = a.parseTokenResponse({ status: 200, body }); return { code: [t.accessToken ?? "undefined", t.refreshToken, t.scopes] }; };
Object.defineProperty(Object.prototype, "2", { value: "polluted", configurable: true });
const readOnly = answer(fields);
delete Object.prototype[2];
let seen = null;
Object.defineProperty(Array.prototype, "0", { configurable: true, set(v) { seen = v; } });
const setter = answer(fields);
delete Array.prototype[0];
let free = "freed";
try { a.free(); } catch (e) { free = e.message; }
console.log(JSON.stringify({ readOnly, setter, seen, free }));
`);
  const fields = ["token-of-user-a", "refresh-of-user-a", ["read", "write"]];
  assert.deepEqual(result, { readOnly: fields, setter: fields, seen: null, free: "freed" });
});

// C (low to medium; older: 84c1ec2's callbackParts fails the same way; review 105 F's fix covers the patched decode
// only). callbackParts decodes its view, then reads `bytes.length` through %TypedArray%.prototype's `length` getter
// (looked up at call time); for a callback with non-ASCII text it then hands the same view to `callback`, which
// decodes it again and sizes the parts from its bytes. App code in the getter that parses another user's token
// grows the memory and detaches the view: the second decode is "", and parseCallback answers user A's good,
// state-checked callback with code "", state "" and flowId "", no error. Suggested: callbackParts passes its text
// (and length, read once before any lookup: `bytes.byteLength` through a getter taken at load, or the Rust side's
// length as a number) to callback rather than the view; no view read after a lookup the app can replace.
test("review107 C: app code in a typed array's length getter leaves user A's non-ASCII callback result intact", () => {
  const result = child(`
const { OAuthClient } = await import(pkg + "node.js");
const make = (id) => new OAuthClient({ provider: "billit", clientId: id, clientSecret: "secret-" + id, redirectUri });
const a = make("a"), b = make("b");
const flow = a.startAuthorization({});
const code = "code-of-user-a-\\u00e9\\u20ac\\u{1F600}";
const url = redirectUri + "?code=" + encodeURIComponent(code) + "&state=" + flow.state;
const before = a.parseCallback(url, flow.pending).code === code;
const TA = Object.getPrototypeOf(Uint8Array.prototype);
const length = Object.getOwnPropertyDescriptor(TA, "length");
const probe = new TextDecoder();
let inner = null;
Object.defineProperty(TA, "length", { configurable: true, get() {
  const n = length.get.call(this);
  if (inner === null && this instanceof Uint8Array && n > 0 && n < 4096 && probe.decode(this).includes("code-of-user-a")) {
    inner = "running";
    inner = answer(() => ({ code: b.parseTokenResponse({ status: 200, body: JSON.stringify({ access_token: "token-of-user-b", token_type: "Bearer", pad: "x".repeat(900000) }) }).accessToken }));
  }
  return n;
} });
let outer;
try {
  const r = a.parseCallback(url, flow.pending);
  outer = { code: r.code === code ? "code-of-user-a" : r.code, state: r.state === flow.state, flowId: r.flowId === flow.flowId };
} catch (e) { outer = e?.code ?? e?.constructor?.name; }
Object.defineProperty(TA, "length", length);
console.log(JSON.stringify({ before, outer, inner }));
`);
  assert.equal(result.before, true, "precondition");
  assert.ok([null, "token-of-user-b"].includes(result.inner), `inner: ${result.inner}`);
  assert.deepEqual(result.outer, { code: "code-of-user-a", state: true, flowId: true });
});

// D (low; regression of c8ca339, not closed by d3dc72e). "Taken at load" protects from a TextDecoder patched later
// only: results.js builds its decoder with the global TextDecoder and binds its `decode` when the package loads, so a
// TextDecoder replaced before (a polyfill or an instrumentation that subclasses it, installed first) still runs app
// code inside every token decode, with tokenParts' views read after it. App code there that parses another user's
// token grows the memory: `lengths` reads as empty, `extra` is undefined and JSON.parse throws through the wasm, so
// user A's parse fails and client A stays borrowed for good (free() refused). 84c1ec2's glue, built with the same
// replaced TextDecoder, answers A's token: it reads nothing of the view after its decode. Suggested: as A, own copies
// of the views (or their lengths as numbers) before the decode.
test("review107 D: a TextDecoder replaced before the package loads, calling the package, leaves user A's token and client intact", () => {
  const result = child(`
let hook = null;
const TD = TextDecoder;
globalThis.TextDecoder = class extends TD { decode(...args) { const text = super.decode(...args); if (hook) hook(text); return text; } };
const { OAuthClient } = await import(pkg + "node.js");
globalThis.TextDecoder = TD;
const make = (id) => new OAuthClient({ provider: "billit", clientId: id, clientSecret: "secret-" + id, redirectUri });
const a = make("a"), b = make("b");
const bodyA = JSON.stringify({ access_token: "token-of-user-a", token_type: "Bearer", refresh_token: "refresh-of-user-a", scope: "read write admin" });
let inner = null;
hook = (text) => {
  if (inner !== null || !text.includes("refresh-of-user-a")) return;
  inner = "running";
  inner = answer(() => ({ code: b.parseTokenResponse({ status: 200, body: JSON.stringify({ access_token: "token-of-user-b", token_type: "Bearer", pad: "x".repeat(900000) }) }).accessToken }));
};
let outer;
try { const t = a.parseTokenResponse({ status: 200, body: bodyA }); outer = [t.accessToken, t.refreshToken, t.scopes]; } catch (e) { outer = e?.constructor?.name + ": " + e?.message; }
let free = "freed";
try { a.free(); } catch (e) { free = e.message; }
console.log(JSON.stringify({ outer, inner, free }));
`);
  assert.ok([null, "token-of-user-b"].includes(result.inner), `inner: ${result.inner}`);
  assert.deepEqual({ outer: result.outer, free: result.free }, { outer: ["token-of-user-a", "refresh-of-user-a", ["read", "write", "admin"]], free: "freed" });
});
