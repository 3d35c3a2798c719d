// Review 108 (outside reviewer on 65a4229: the full build's result builders copy each view of the wasm's memory
// first, src/wasm/results-full.js; the page build relies on raw.js' `answer` copying its answer first). Each scenario
// runs in a child Node process: they patch globals, and some leave a client borrowed or the module broken for good.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertPageFlowsIntact, child, pageStartReentry, tokenReentry } from "./region.mjs";

// A (medium; older: 0f72bd2, present in 84c1ec2's package). The page build's raw.js `answer` runs app code after an
// export has returned and before it copies the export's slots: `memory()` reads `bytes.byteLength` through
// %TypedArray%.prototype's getter, and `new Float64Array(slots)` looks up the global Float64Array at the call (the
// lookup review 107 A removed from tokenParts). App code there that starts user B's flow overwrites the slots (one
// static region for every call) with B's answer, and frees B's answer buffer. The outer call then copies B's slots:
// user A's startAuthorization answers url, state, pending and flowId made of NUL bytes (B's freed, zeroed block), no
// error; and its `finally` frees B's buffer a second time (A's own buffer, holding A's answer, is never freed).
// The allocator's free list then holds that block twice (a freed block points at itself), so it hands the same block
// to two live allocations: from then on every parseCallback of every client in the module fails invalid_pending.
// Suggested: copy the slots before any lookup or getter the app can reach (a Float64Array constructor and a
// byteLength getter taken at load, or compare the memory's buffer through a getter taken at load), and free the
// answer's buffer with the address and capacity of that copy; the allocator could refuse a block already at the
// head of its free list.
test("review108 A: page build: app code in answer() before the slots' copy neither empties user A's flow nor breaks the module", () => {
  const result = child(pageStartReentry({
    hook: `
const F64 = Float64Array;
globalThis.Float64Array = new Proxy(F64, { construct(target, args, newTarget) {
  if (args[0] instanceof F64) reenter();
  return Reflect.construct(target, args, newTarget);
} });`,
    restore: "globalThis.Float64Array = F64;",
  }));
  // Since the fix raw.js takes Float64Array at load and the replaced one never runs (inner stays null); on
  // 65a4229 B's flow ran inside A's answer.
  assertPageFlowsIntact(result);
});

// B (medium; regression of c8ca339's two views, not closed by 65a4229; 84c1ec2's package passes). tokenParts is
// handed two views, made one after the other by wasm-bindgen's glue: `getArrayU8FromWasm0` (the bytes) and then
// `getArrayU32FromWasm0` (the lengths), which reads `cachedUint32ArrayMemory0.byteLength` (a getter of
// %TypedArray%.prototype, looked up at the call) and calls `subarray`, which looks up the Uint32Array's
// `constructor` (and its Symbol.species). All of it runs after the bytes' view exists and before results-full.js'
// `own` copies it. App code in either that parses another user's token grows the memory and detaches the bytes'
// view: `own`'s %TypedArray%.prototype.set throws "Cannot perform %TypedArray%.prototype.set on a detached
// ArrayBuffer" (or, with the species hook, the lengths' view cannot be built), the exception unwinds through the
// wasm, and client A stays borrowed for good (free() refused, its secret never dropped). So the claim "no typed-array
// length getter ... runs app code while a view is live" holds for results-full.js but not for the glue that feeds
// it. Suggested: hand tokenParts one view (the lengths written into the same byte buffer, or passed as numbers), or
// addresses as numbers and build the copies in results-full.js from the memory's buffer with getters taken at load;
// and declare the result builders' imports `catch`, so that a throw returns Err through Rust and releases the borrow.
test("review108 B: app code in the glue's second view (byteLength getter, Uint32Array species) leaves user A's token and client intact", () => {
  const byteLength = child(tokenReentry(`
const TA = Object.getPrototypeOf(Uint8Array.prototype);
const byteLength = Object.getOwnPropertyDescriptor(TA, "byteLength");
Object.defineProperty(TA, "byteLength", { configurable: true, get() {
  const n = byteLength.get.call(this);
  if (armed && this instanceof Uint32Array) reenter();
  return n;
} });`, `Object.defineProperty(TA, "byteLength", byteLength);`, true));
  const species = child(tokenReentry(`
Object.defineProperty(Uint32Array.prototype, "constructor", { configurable: true, get() { if (armed) reenter(); return Uint32Array; } });`,
  `Object.defineProperty(Uint32Array.prototype, "constructor", { configurable: true, writable: true, enumerable: false, value: Uint32Array });`, true));
  const fields = ["token-of-user-a", "refresh-of-user-a", ["read", "write", "admin"]];
  for (const r of [byteLength, species]) {
    assert.ok([null, "token-of-user-b"].includes(r.inner), `inner: ${r.inner}`);
    assert.deepEqual({ outer: r.outer, free: r.free }, { outer: fields, free: "freed" });
  }
});

// C (low; older: 84c1ec2's package fails the same way). parseCallback's one view is made by the glue's
// `getArrayU8FromWasm0`, whose `subarray` looks up the memory view's `constructor` (a getter the app can put on
// Uint8Array.prototype) after reading its buffer. App code there that parses another user's token grows the memory:
// the view cannot be built on the detached buffer ("Cannot perform Construct on a detached ArrayBuffer"), the
// TypeError unwinds through the wasm and client A stays borrowed for good (free() refused). Not a view read after
// app code, but the same outcome review 107 D fixed for a replaced TextDecoder. Suggested: as B (addresses as
// numbers and a copy built from getters taken at load, or `catch` imports).
test("review108 C: a constructor getter reached by the glue's subarray leaves client A freeable after its callback", () => {
  const result = child(`
const { OAuthClient } = await import(pkg + "node.js");
const make = (id) => new OAuthClient({ provider: "billit", clientId: id, clientSecret: "secret-" + id, redirectUri });
const a = make("a"), b = make("b");
const flow = a.startAuthorization({});
const url = redirectUri + "?code=code-of-user-a&state=" + flow.state;
const before = answer(() => a.parseCallback(url, flow.pending));
let inner = null, armed = false;
Object.defineProperty(Uint8Array.prototype, "constructor", { configurable: true, get() {
  if (armed && inner === null && this.length > 1000000) {
    inner = "running";
    inner = answer(() => ({ code: b.parseTokenResponse({ status: 200, body: JSON.stringify({ access_token: "token-of-user-b", token_type: "Bearer", pad: "x".repeat(900000) }) }).accessToken }));
  }
  return Uint8Array;
} });
armed = true;
const outer = answer(() => a.parseCallback(url, flow.pending));
armed = false;
Object.defineProperty(Uint8Array.prototype, "constructor", { configurable: true, writable: true, enumerable: false, value: Uint8Array });
let free = "freed";
try { a.free(); } catch (e) { free = e.message; }
console.log(JSON.stringify({ before, outer, inner, free }));
`);
  assert.equal(result.before, "code-of-user-a", "precondition");
  assert.ok([null, "token-of-user-b"].includes(result.inner), `inner: ${result.inner}`);
  // A refusal of A's callback is tolerated; a client left borrowed is not.
  assert.equal(result.free, "freed");
});

// D (low; older: 84c1ec2's package fails the same way; review 107 D's case for startAuthorization). The full
// build's startAuthorization answers through results.js' `startedBytes`, which decodes the glue's view of the wasm's
// memory directly with results.js' decoder: a TextDecoder replaced before the package loads (a polyfill or an
// instrumentation that subclasses it) runs app code with the view live, before reading it. App code there that
// parses another user's token grows the memory and detaches the view; the decode reads nothing, and user A's
// startAuthorization answers url "", state "", pending "" and flowId "", no error (an app stores an empty pending
// value and redirects nowhere). 65a4229 copies first in tokenParts and callbackParts only. Suggested: startedBytes
// through results-full.js' `own` (its size from the wasm) before the decode.
test("review108 D: a TextDecoder replaced before load, calling the package, leaves user A's started flow intact", () => {
  const result = child(`
let hook = null;
const TD = TextDecoder;
globalThis.TextDecoder = class extends TD { decode(input, options) { if (hook) hook(input); return super.decode(input, options); } };
const { OAuthClient } = await import(pkg + "node.js");
globalThis.TextDecoder = TD;
const make = (id) => new OAuthClient({ provider: "billit", clientId: id, clientSecret: "secret-" + id, redirectUri });
const a = make("a"), b = make("b");
let inner = null;
hook = (input) => {
  if (inner !== null || !(input instanceof Uint8Array) || input.length < 100 || input.length > 4096) return;
  inner = "running";
  inner = answer(() => ({ code: b.parseTokenResponse({ status: 200, body: JSON.stringify({ access_token: "token-of-user-b", token_type: "Bearer", pad: "x".repeat(900000) }) }).accessToken }));
};
let outer;
try {
  const f = a.startAuthorization({});
  outer = { url: f.url.startsWith("https://my.billit.be/"), state: f.state.length > 20, pending: f.pending.length > 20, flowId: f.flowId.length > 0 };
} catch (e) { outer = e?.code ?? e?.constructor?.name + ": " + e?.message; }
hook = null;
console.log(JSON.stringify({ outer, inner }));
`);
  assert.equal(result.inner, "token-of-user-b", `inner: ${result.inner}`);
  assert.deepEqual(result.outer, { url: true, state: true, pending: true, flowId: true });
});
