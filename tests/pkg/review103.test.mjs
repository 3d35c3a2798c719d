// Review 103 (outside reviewer on the full build's parseCallback fast entry, 349cfc6).
// Each scenario runs in a child Node process: A corrupts the wasm's memory (every later call of the module may trap),
// B needs a runtime whose TextEncoder has no encodeInto from before the package loads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertFreedClientNeverRead, child } from "./region.mjs";

// A (low to medium; regression of 17f2be0, review 100 C's fix, which made the time an argument of the glue's
// parseCallbackInput). The glue reads `this.__wbg_ptr` first and only then converts `now_ms` to the wasm's f64, so a
// time whose valueOf runs app code (review 102 A's clock) runs it after the client's pointer was read and before the
// wasm borrows it. regionBusy keeps a re-entered parseCallback off the region, but nothing keeps the client alive:
// wasm-bindgen's own free() (the superclass', public: Object.getPrototypeOf(OAuthClient).prototype.free) drops the
// Rust object there, and the wasm then runs the callback check on freed memory, here reused by another client: user
// A's callback is checked against client B's configuration (provider_mismatch naming B), and the allocator's state is
// corrupted (B's next getter traps "memory access out of bounds"). Every glue method converts its numbers before it
// reads __wbg_ptr (isExpired: `+(...)`); the general entry reads the time inside the wasm, with the client borrowed,
// and the same valueOf's free() there throws wasm-bindgen's "attempted to take ownership of Rust value while it was
// borrowed": the call fails, the module is intact (checked by hand: {"during":"Error: attempted to take ownership
// ...","after":"code-of-user-c"}).
test("review103 A: a time whose valueOf frees the client does not make the fast entry read a freed client", () => {
  assertFreedClientNeverRead(`
const now = Date.now;
Date.now = function () {
  const time = now.call(Date);
  return { valueOf() { freeA(); return time; } };
};`, "Date.now = now;");
});

// B (low; regression of 4c6263a, the first fast entry, which called encodeInto on every callback): in a runtime
// whose TextEncoder has no encodeInto (a polyfilled TextEncoder: text-encoding, fast-text-encoding), every
// parseCallback with two strings throws "encoder.encodeInto is not a function" for good, where the general entry
// answers (the glue installs its own encodeInto fallback on its encoder for exactly this case, and uses it only for
// non-ASCII text). The fast entry should take the general one when it cannot encode, not refuse the call.
test("review103 B: without TextEncoder.prototype.encodeInto, parseCallback still answers through the general entry", () => {
  const result = child(`
delete TextEncoder.prototype.encodeInto;
const { OAuthClient } = await import(pkg + "node.js");
const client = new OAuthClient({ provider: "billit", clientId: "c", redirectUri });
const flow = client.startAuthorization({});
const url = redirectUri + "?code=abc&state=" + flow.state;
const general = answer(() => Object.getPrototypeOf(OAuthClient).prototype.parseCallback.call(client, url, flow.pending));
const fast = answer(() => client.parseCallback(url, flow.pending));
const again = answer(() => client.parseCallback(url, flow.pending));
console.log(JSON.stringify({ general, fast, again }));
`);
  assert.equal(result.general, "abc", "precondition: the glue's general entry answers");
  assert.deepEqual({ fast: result.fast, again: result.again }, { fast: "abc", again: "abc" });
});
