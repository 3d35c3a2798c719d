// Review 109 (outside reviewer on 5dd0a9c: raw.js takes the buffer getter and typed-array makers at load; the full
// build's startedBytes copies into a module-level 1 KiB scratch buffer; tokenParts reads one view, lengths after the
// texts). Each scenario runs in a child Node process: they patch globals.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertPageFlowsIntact, child, pageStartReentry } from "./region.mjs";

// A (low; older: present in 84c1ec2's package, where the decoder got a live view of the wasm's memory; 5dd0a9c's fix
// of review 108 D kept it). startedBytes hands `decode` (a TextDecoder replaced before load: a polyfill, a logging or
// tracing wrapper) a view of the one scratch buffer every start shares. A decoder that keeps its input and reads it
// later (a logger that decodes lazily, at its next call) reads, under user A's start, user B's url, state and
// pending (the pending carries B's PKCE verifier): the next start wrote B's bytes into the same buffer before calling
// the decoder. Between starts the kept view reads NUL bytes (the zeroing), so A's own record is lost as well.
// Suggested: never hand a replaceable decoder memory another call will reuse: the started text is ASCII (the Rust side
// says so), so decode it with String.fromCharCode taken at load (apply over chunks of the scratch buffer, or a
// loop), which keeps the scratch buffer private; or hand the decoder a fresh copy per start, as callbackParts and
// tokenParts do.
test("review109 A: a TextDecoder replaced before load that keeps its input never reads user B's flow under user A's start", { todo: "left: SECURITY, review 109 A (a decoder replaced before load decodes every flow anyway)" }, () => {
  const result = child(`
const TD = TextDecoder;
const plain = new TD();
const log = [];
let previous = null;
// A lazy logger: it decodes what it was given at its next call (or at a flush), not at once.
globalThis.TextDecoder = class extends TD { decode(input, options) {
  if (previous) log.push(plain.decode(previous));
  previous = input instanceof Uint8Array && input.length > 100 ? input : null;
  return super.decode(input, options);
} };
const { OAuthClient } = await import(pkg + "node.js");
globalThis.TextDecoder = TD;
const make = (id) => new OAuthClient({ provider: "billit", clientId: id, clientSecret: "secret-" + id, redirectUri });
const a = make("client-a"), b = make("client-b");
const fa = a.startAuthorization({});
const fb = b.startAuthorization({});
const entryA = log[log.length - 1] ?? "";
console.log(JSON.stringify({ hasA: entryA.includes(fa.pending), hasB: entryA.includes(fb.pending) || entryA.includes(fb.state) }));
`);
  assert.deepEqual(result, { hasA: true, hasB: false });
});

// B (medium; the outcome of review 108 A, by a vector 5dd0a9c opened on every call: on 84c1ec2 and b41ee0a the
// buffer getter ran in answer() only once the memory had grown and the cached view read byteLength 0, here it runs in
// every answer, as its first step). raw.js takes WebAssembly.Memory.prototype's `buffer` getter at load and calls it
// in answer() before the slots' copy. A getter replaced before load (an instrumentation or memory-profiling wrapper,
// the standing review 108 D gave a TextDecoder replaced before load) is app code that runs between the export's
// return and that copy. App code there that starts user B's flow overwrites the slots (one static region) with B's
// answer and frees B's buffer: user A's startAuthorization answers url, state and pending from B's freed block (not
// A's: the summary below is all false), its finally frees that block a second time (A's buffer is never freed), and
// from then on every parseCallback of every client fails invalid_pending. Anything "taken at load" is only as good as
// what ran before load. Suggested: make the slots per call, not static: have each export write its numbers at the
// head of its answer block and return that block's address (0 for none), so a nested call cannot overwrite or free
// what the outer call reads; raw.js then frees exactly the block it was given.
test("review109 B: page build: a Memory buffer getter replaced before load, calling the package in answer(), leaves user A's flow intact", () => {
  const result = child(pageStartReentry({
    beforeImport: `
const desc = Object.getOwnPropertyDescriptor(WebAssembly.Memory.prototype, "buffer");
let hook = null;
Object.defineProperty(WebAssembly.Memory.prototype, "buffer", { ...desc, get() { if (hook) hook(); return desc.get.call(this); } });`,
    hook: `hook = () => { if (new Error().stack.includes("at answer")) reenter(); };`,
    restore: "hook = null;",
  }));
  // Since the fix the getter runs only once the memory grew, which this start does not (inner stays null); on
  // 5dd0a9c it ran in every answer.
  assertPageFlowsIntact(result);
});
