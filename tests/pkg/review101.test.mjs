// Review 101 (outside reviewer on 17f2be0: the callback's input region, the wasm calling no JS while it holds it).
// parse_callback_input still takes the module's region out of its cell (Cell::take) for the whole check and puts it
// back only when the check returns. No JS import runs in that window any more, but the wasm can still be unwound
// there without Rust running: a JS stack overflow (RangeError "Maximum call stack size exceeded") is thrown at any
// wasm function's entry when the native stack is exhausted, and check_callback is a call tree of its own. One such
// unwind leaves the cell empty while io.js' views stay attached (no memory growth): every later fast-path callback
// of every client of the module, with valid texts, is refused as "the callback URL must be a string" until
// something grows the memory. Before ec11641 each call's texts were its own copy: the same unwind left nothing
// behind (review 100 B, the same outcome from an exception; "a stack overflow is the natural trigger").
import { test } from "node:test";
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { OAuthError } from "../../pkg/node.js";
import { OAuthClient } from "../../pkg/io.js";

const redirectUri = "https://app.example/cb";
// --allow-natives-syntax for %NeverOptimizeFunction only (review101 A's sweep; this file runs in its own process).
setFlagsFromString("--allow-natives-syntax");
const neverOptimize = new Function("f", "%NeverOptimizeFunction(f);");

test("review101 A: a stack overflow inside one parseCallback does not make every later callback of the module 'not a string'", () => {
  const client = new OAuthClient({ provider: "billit", clientId: "c", redirectUri });
  const { state, pending } = client.startAuthorization({});
  const url = `${redirectUri}?code=abc&state=${state}`;
  const answer = () => {
    try {
      return client.parseCallback(url, pending).code;
    } catch (e) {
      return e instanceof OAuthError ? `${e.code}: ${e.message}` : e instanceof RangeError ? "overflow" : `${e?.name}: ${e?.message}`;
    }
  };
  assert.equal(answer(), "abc", "precondition: the callback is accepted");
  // The same callback parsed at every depth near the stack's limit (an app's parseCallback deep in its own
  // recursion, a framework's middleware chain), each depth shifted by a few bytes (frames of 0..63 arguments), so
  // one attempt runs out of stack inside the wasm's check. After each attempt, one at the top level.
  const pads = Array.from({ length: 64 }, (_, k) => new Function("f", ...Array.from({ length: k }, (_, i) => `a${i}`), "return f();"));
  // As review104 A's sweep (its comment has the measurements): `at` never optimized, so each pad lands on its own
  // offsets; a bisection finds the deepest depth whose recursion reaches the call, and the walk down from 16 above it
  // stops after 32 rounds in a row that parse the callback in full. The old walk of 2,000 depths a pad (~18 s)
  // overflowed inside the call at its first two pads only; this one does at every pad, and the test asserts it.
  let outcome;
  // Only an assignment in the catch: no call there that could overflow and hide the call's outcome.
  const attempt = () => {
    try {
      outcome = client.parseCallback(url, pending);
    } catch (e) {
      outcome = e;
    }
  };
  const at = (n, pad) => (n === 0 ? pad(attempt) : at(n - 1, pad));
  neverOptimize(at);
  let max = 0;
  const probe = (n) => {
    max = n;
    probe(n + 1);
  };
  try {
    probe(0);
  } catch {}
  let after = "abc", where = null;
  let padsHit = 0;
  const round = (k, depth) => {
    outcome = undefined;
    let reached = true;
    try {
      at(depth, pads[k]);
    } catch {
      reached = false;
    }
    after = answer();
    if (after !== "abc") where = { pad: k, depth, max };
    return { reached, overflowed: reached && !(outcome && !(outcome instanceof Error) && outcome.code === "abc") };
  };
  sweep: for (const k of pads.keys()) {
    let lo = 0;
    let hi = max + 1;
    while (hi - lo > 1) {
      const mid = lo === 0 && hi === max + 1 ? max : (lo + hi) >> 1;
      if (round(k, mid).reached) lo = mid;
      else hi = mid;
      if (where) break sweep;
    }
    let quiet = 0;
    let hit = 0;
    for (let depth = Math.min(max, lo + 16); depth > 0 && quiet < 32; depth--) {
      const { reached, overflowed } = round(k, depth);
      if (where) break sweep;
      if (overflowed) {
        hit++;
        quiet = 0;
      } else if (reached) quiet++;
    }
    if (hit > 0) padsHit++;
  }
  assert.equal(after, "abc", `a valid callback at the top level after an overflow at ${JSON.stringify(where)} is still accepted`);
  assert.equal(padsHit, pads.length, "a pad's sweep never overflowed inside parseCallback");
});
