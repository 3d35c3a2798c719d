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
// The sweep's reach: an overflow at every point of the call (each wasm function's entry, each JS call it makes), i.e.
// at every amount of stack left when `attempt` starts, at the pads' 8-byte steps. Until 2026-12-06 it walked 2,000
// depths down from the probe's maximum for each pad (~256,000 rounds, ~110 s): rounds above a pad's boundary overflow
// in `at` before the call (nothing to check), rounds well below it run the call to its end, and `at`, once optimized,
// inlined itself so coarsely that only pads 0 and 1 overflowed inside the call (35 and 482 rounds, fast and general).
// Now `at` is never optimized, so every pad lands on its own offsets; a bisection finds each pad's boundary (a deeper
// `at` only ever has less stack), and the walk starts 16 depths above it and stops after 32 rounds in a row that
// answer as a call with stack to spare (the rounds that overflowed inside the call were contiguous in every run
// measured: no clean round between two of them). Every pad now overflows inside the call (~1,100 and ~1,300 rounds),
// and the child asserts it, so the reach cannot silently vanish; each round still frees its own client at once.
test("review104 A: a stack overflow inside parseCallback does not leave the client un-freeable for good", () => {
  const result = child(`
// --allow-natives-syntax for %NeverOptimizeFunction only (set before any code that uses it is parsed).
(await import("node:v8")).setFlagsFromString("--allow-natives-syntax");
const neverOptimize = new Function("f", "%NeverOptimizeFunction(f);");
const { OAuthClient } = await import(pkg + "node.js");
const base = new OAuthClient({ provider: "billit", clientId: "c", redirectUri });
const { state, pending } = base.startAuthorization({});
const url = redirectUri + "?code=abc&state=" + state;
const pads = Array.from({ length: 64 }, (_, k) => new Function("f", ...Array.from({ length: k }, (_, i) => "a" + i), "return f();"));
const out = {};
const reach = {};
// "fast": two strings (io.js' fast entry); "general": pending null (the glue's general entry).
for (const entry of ["fast", "general"]) {
  const fresh = () => new OAuthClient({ provider: "billit", clientId: "c", clientSecret: "s3cret-value", redirectUri });
  const call = (c) => c.parseCallback(url, entry === "fast" ? pending : null);
  // What the call answers with stack to spare: a round answering otherwise overflowed inside it.
  const calm = answer(() => call(fresh()));
  let client, outcome;
  // Only assignments in the catch: no call there that could overflow and hide the call's outcome.
  const attempt = () => { try { outcome = call(client); } catch (e) { outcome = e; } };
  const at = (n, pad) => (n === 0 ? pad(attempt) : at(n - 1, pad));
  neverOptimize(at);
  let max = 0;
  const probe = (n) => { max = n; probe(n + 1); };
  try { probe(0); } catch {}
  let stuck = null;
  let padsHit = 0;
  // One round: a fresh client, the call at this depth, free() back at the top.
  const round = (k, pad, depth) => {
    client = fresh();
    outcome = undefined;
    let reached = true;
    try { at(depth, pad); } catch { reached = false; }
    try { client.free(); } catch (e) {
      // Once more at the top level, stack to spare: still refused?
      let again = "freed";
      try { client.free(); } catch (e2) { again = e2.message; }
      stuck = { pad: k, depth, max, free: e.message, again, parse: answer(() => client.parseCallback(url, pending)) };
    }
    const got = answer(() => { if (outcome instanceof Error) throw outcome; return outcome; });
    return { reached, overflowed: reached && got !== calm };
  };
  sweep: for (const [k, pad] of pads.entries()) {
    // The deepest depth whose recursion reaches the call (or the probe's maximum, as before).
    let lo = 0;
    let hi = max + 1;
    while (hi - lo > 1) {
      const mid = lo === 0 && hi === max + 1 ? max : (lo + hi) >> 1;
      if (round(k, pad, mid).reached) lo = mid;
      else hi = mid;
      if (stuck) break sweep;
    }
    let quiet = 0;
    let hit = 0;
    for (let depth = Math.min(max, lo + 16); depth > 0 && quiet < 32; depth--) {
      const { reached, overflowed } = round(k, pad, depth);
      if (stuck) break sweep;
      if (overflowed) { hit++; quiet = 0; } else if (reached) quiet++;
    }
    if (hit > 0) padsHit++;
  }
  out[entry] = stuck;
  reach[entry] = stuck ? pads.length : padsHit;
}
console.log(JSON.stringify({ stuck: out, reach }));
`);
  // free() after any overflow drops the client (later calls answer invalid_argument), never refuses for good.
  assert.deepEqual(result.stuck, { fast: null, general: null }, "after an overflow free() was refused");
  // The sweep overflowed inside the call at every pad's offset, in both entries.
  assert.deepEqual(result.reach, { fast: 64, general: 64 }, "a pad's sweep never overflowed inside parseCallback");
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
