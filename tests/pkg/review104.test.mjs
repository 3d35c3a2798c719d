// Review 104 (outside reviewer on the full build's parseCallback fast entry, 40bb663, and on io.js calling options.js,
// 2893dd8 and 9568bbc). Each scenario runs in a child Node process: both leave the module in a state (a client borrowed
// for good, a freed client read and the allocator corrupted) that later tests of this process must not inherit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertFreedClientNeverRead, child } from "./region.mjs";

// A (low; older: every &self export of the full build that calls JS while it holds the client, the fast entry's
// answer and error included; `free()` through `release(&mut self)` since c6947bb, wasm-bindgen's own free before).
// wasm-bindgen guards a `&self` export with a borrow of the Rust object that only Rust's drop gives back. A JS stack
// overflow (RangeError) thrown while the wasm holds the client (at a wasm function's entry inside the check, or at a
// JS call it makes: the fast entry's callbackParts or OAuthError; the general entry's Date.now, string_get, the same
// builders; Date.now throwing does the same in the general entry) unwinds the wasm without that drop: the client
// stays borrowed for good (review 101 A's fix asks for the region again; nothing gives the borrow back). From then on io.js' free() (release, `&mut self`) throws
// "recursive use of an object detected which would lead to unsafe aliasing in rust" on every call, Symbol.dispose
// too, and the client's secret and state keys are never dropped (free()'s promise); wasm-bindgen's own free throws
// "attempted to take ownership of Rust value while it was borrowed". The trigger is review 101 A's: the same
// callback parsed at every depth near the stack's limit (an app's parseCallback deep in its own recursion).
// Older and general (SECURITY, review 104 A): a trap or stack overflow inside any &self export leaves
// wasm-bindgen's borrow mark set, and free() was refused from then on. Fixed by a release (`&self`) that does not
// depend on that mark, and by an allocator an unwind cannot leave half-updated (tests/pkg/unwind.test.mjs).
test("review104 A: a stack overflow inside parseCallback does not leave the client un-freeable for good", () => {
  const result = child(`
const { OAuthClient } = await import(pkg + "node.js");
const base = new OAuthClient({ provider: "billit", clientId: "c", redirectUri });
const { state, pending } = base.startAuthorization({});
const url = redirectUri + "?code=abc&state=" + state;
const pads = Array.from({ length: 64 }, (_, k) => new Function("f", ...Array.from({ length: k }, (_, i) => "a" + i), "return f();"));
const out = {};
// "fast": two strings (io.js' fast entry); "general": pending null (the glue's general entry).
for (const entry of ["fast", "general"]) {
  let client;
  const attempt = () => { try { client.parseCallback(url, entry === "fast" ? pending : null); } catch {} };
  const at = (n, pad) => (n === 0 ? pad(attempt) : at(n - 1, pad));
  let max = 0;
  const probe = (n) => { max = n; probe(n + 1); };
  try { probe(0); } catch {}
  let stuck = null;
  sweep: for (const [k, pad] of pads.entries()) {
    for (let depth = max; depth > 0; depth--) {
      client = new OAuthClient({ provider: "billit", clientId: "c", clientSecret: "s3cret-value", redirectUri });
      let reached = true;
      try { at(depth, pad); } catch { reached = false; }
      try { client.free(); } catch (e) {
        // Once more at the top level, stack to spare: still refused?
        let again = "freed";
        try { client.free(); } catch (e2) { again = e2.message; }
        stuck = { pad: k, depth, max, free: e.message, again, parse: answer(() => client.parseCallback(url, pending)) };
        break sweep;
      }
      if (reached && depth < max - 2000) break;
    }
  }
  out[entry] = stuck;
}
console.log(JSON.stringify(out));
`);
  // free() after any overflow drops the client (later calls answer invalid_argument), never refuses for good.
  assert.deepEqual(result, { fast: null, general: null }, "after an overflow free() was refused");
});

// B (low; older, from 4c6263a, the first fast entry; left by 40bb663, review 103 A's fix, which made the time a number
// but not the two lengths). The lengths io.js hands the glue's parseCallbackInput are encodeInto's `written`, passed as
// they come; the glue reads this.__wbg_ptr and only then converts them to the wasm's i32 (valueOf runs at the call).
// An encodeInto replaced after load (a wrapper, an instrumenting polyfill: TextEncoder.prototype is the app's to
// patch, as Date.now was in reviews 100-103) whose `written` is an object runs app code there: wasm-bindgen's own
// free (Object.getPrototypeOf(OAuthClient).prototype.free) then a new client reuse the memory, and the wasm checks
// user A's callback against client B's configuration (provider_mismatch naming B's client) and corrupts the
// allocator (B's clientId, and every later client of the module, trap "memory access out of bounds"). regionBusy keeps
// the region, not the client. The general entry converts nothing after it has the client (checked by hand: the glue's
// passStringToWasm0 runs encodeInto before it reads __wbg_ptr, and string_get inside the wasm, where such a free
// throws "attempted to take ownership ... while it was borrowed").
test("review104 B: an encodeInto whose written is an object does not make the fast entry read a freed client", () => {
  assertFreedClientNeverRead(`
const encodeInto = TextEncoder.prototype.encodeInto;
TextEncoder.prototype.encodeInto = function (text, into) {
  const r = encodeInto.call(this, text, into);
  return { read: r.read, written: { valueOf() { freeA(); return r.written; } } };
};`, "TextEncoder.prototype.encodeInto = encodeInto;");
});
