// Review 128 (outside reviewer on the twenty-seventh session's full-build changes, d6f1564..11cd6e6: release()'s
// wipe of the dead shadow stack, an Exchange's free() as its release(), helper bt48's exchanges reading the pending
// value where it is unsealed). Differential runs, with the same random bytes and clock, of d6f1564's and 11cd6e6's
// packages gave the same answers except where said; the values below are 11cd6e6's, frozen. Two low findings, both
// older than these changes, each fixed test first (its test fails on 11cd6e6): C1 a freed client's last callback buffer
// (that flow's code and unsealed verifier) stays allocated until the object is collected; C2 a free() made by app
// code from Date.now inside a start leaves that start's raw verifier on the shadow stack (the wipe ran before it).
// The scripts are review128-scripts.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { childRunner } from "./child.mjs";

const pkg = new URL("../../pkg/", import.meta.url).href;
const scripts = new URL("./review128-scripts.mjs", import.meta.url).href;
const run = childRunner(scripts, pkg);
const deep = childRunner(scripts, pkg, ["--stack-size=900"]);
const gc = childRunner(scripts, pkg, ["--expose-gc"]);
const runs = {
  exchanges: run("s.exchanges(pkg, 1281, 4)"),
  depths: run("s.stackDepths(pkg)"),
  nested: deep('s.nested(pkg, ["limit"])'),
  exchangeFree: run("s.exchangeFree(pkg)"),
  last: run('s.secretsAfterFree(pkg, "last")'),
  toJSON: run('s.secretsAfterFree(pkg, "insideToJSON")'),
  beforeFinish: run('s.secretsAfterFree(pkg, "beforeFinish")'),
  c1: gc("s.callbackAfterFree(pkg, true)"),
  c2: run('s.residueInside(pkg, "clock")'),
};
const h = (x) => createHash("sha256").update(JSON.stringify(x)).digest("hex").slice(0, 16);

// Held: prepareCode and codeRequest on 23 clients (tropipay, payout with and without a secret and a state key, its
// sandbox, factorial, billit, payfit, another client id, a custom preset for each PKCE mode x clientAuth x secret),
// each with every client's own pending value, forged unsealed ones with each field changed (provider, client id,
// environment, state, redirect_uri, verifier absent, empty, odd, short, long or added, token kind) at two ages,
// malformed ones, and callbacks with the right, another, an upper-cased or no state, no code, a bare code, with and
// without skipStateCheck. d6f1564 and 11cd6e6 gave byte-identical answers (the request, or the error's code and
// message) to all 229,540 calls of the full run (`s.exchanges(pkg)`); this pins every fourth pending value's.
test("review128 (held): the borrowed exchange refuses and builds as the owned one did", async () => {
  const r = await runs.exchanges;
  assert.equal(r.pendings, 998);
  assert.equal(r.calls, 57500);
  assert.equal(h(r.results), "2bda61197009b842");
});

// Held: no call goes deeper below the stack's top than a few KiB (the deepest: a finish whose body nests JSON at
// the parser's limit, 7,364 B), far inside the 64 KiB release() wipes; release() itself zeroes 64 KiB below the lowest
// pointer an export started from since the last wipe (review 137 A): the top, or a nested export's start (wasm-bindgen's
// malloc, which the glue calls from inside an import, starts below the running export's frames: ~1 KiB here).
test("review128 (held): every call's frames are inside the wipe's 64 KiB", async () => {
  const { top, out } = await runs.depths;
  assert.equal(top, 1048576);
  const { release, finishDeepAt, ...calls } = out;
  for (const [name, depth] of Object.entries(calls)) assert.ok(depth > 0 && depth < 16384, `${name}: ${depth}`);
  assert.ok(release >= 65536 && release < 65536 + 16384, `release: ${release}`);
});

// Held: free() of the same client, of another, or of another after it started a flow, from Date.now,
// getRandomValues and encodeInto inside a start, at every depth near the JS stack's limit: every answer that came
// back was its own flow (state and challenge), the other client's earlier flow still built its code request, and
// 20 starts afterwards were whole. From a callback's toJSON or an options getter in prepareCode, the exchange
// answers invalid_argument; an Exchange prepared before the client's free() still gives its request.
test("review128 (held): release() nested in a call zeroes nothing a live frame reads", async () => {
  const r = await runs.nested;
  assert.deepEqual(r.fails, []);
  assert.equal(r.after, 0);
  assert.equal(r.okAtLeast, true);
  assert.deepEqual(r.exAnswers, [["toJSON", ["ERR", "invalid_argument"]], ["optionsGetter", ["ERR", "invalid_argument"]], ["beforeRequest", ["method", "url", "headers", "body"]]]);
});

// Held: an Exchange's free() and Symbol.dispose are its release(): twice a no-op, each call after it
// invalid_argument (d6f1564 threw wasm-bindgen's "null pointer passed to rust" at the second free()); a free() from
// the status's valueOf inside finish answers invalid_argument; the shell stays for the FinalizationRegistry; an
// Exchange outlives its client's free(); 2,000 exchanges freed twice grew no page and left no refresh token.
test("review128 (held): an Exchange's free() is its release()", async () => {
  assert.deepEqual(await runs.exchangeFree, {
    sameFn: [true, true],
    first: ["undefined", "undefined", "undefined", "undefined"],
    after: ["invalid_argument", "invalid_argument", "invalid_argument", "invalid_argument", "undefined"],
    ptrKept: true,
    insideStatus: "invalid_argument",
    insideBody: 'TypeError: The "src" argument must be of type string. Received an instance of Object',
    insideScrub: 'TypeError: The "src" argument must be of type string. Received an instance of Object',
    clientFreedFirst: ["object", "undefined"],
    grewPages: 0,
    heldLoop: false,
    heldFree1: false,
    client: "object",
  });
});

// Held: after a start, callback, code exchange (tokens), rotated refresh and a last start, then every Exchange
// released and the client freed (last, or from a callback's toJSON, or before an Exchange's finish), the memory
// holds no client secret, state key, exchanged code, access, refresh or rotated token, nor the last start's
// verifier. What stays is finding C1's (the callback's code and its flow's verifier, heap).
test("review128 (held): a freed client's secrets, tokens and last start's verifier are gone", async () => {
  for (const name of ["last", "toJSON", "beforeFinish"]) {
    const r = await runs[name];
    for (const k of ["clientSecret", "stateKey", "code", "accessToken", "refreshToken", "rotated", "verifier1raw", "lastVerifierRaw"]) assert.deepEqual(r[k], [], `${name}.${k}`);
    if (name !== "beforeFinish") assert.deepEqual(r.lastVerifier, [], `${name}.lastVerifier`);
    assert.equal(r.bodyHasCode, true);
  }
});

// C1 (low, older: since the kept callback buffer, a89034d): release() drops the client and its last start's options
// but not `callback_bytes`, which holds the last callback's code, state and unsealed pending value (its verifier);
// they stay allocated in the wasm-bindgen shell until the JS object is collected (an app that keeps its reference
// keeps them). The last callback's flow is usually the last start's, so that verifier outlives free().
test("review128 C1: free() drops the last callback's buffer (its code and verifier)", async () => {
  const r = await runs.c1;
  assert.deepEqual(r.afterFree, { verifier: false, code: false, next: "invalid_argument" });
});

// C2 (low, older; the twenty-seventh session's wipe does not reach it): a free() made by app code from Date.now
// inside a start runs the wipe below that start's live frames; the start goes on (it holds its count) and answers,
// and its verifier's 32 raw bytes stay on the shadow stack (~270 B below the top) until a later call overwrites them.
test("review128 C2: a free() inside a start leaves no verifier on the stack", async () => {
  const r = await runs.c2;
  assert.equal(r.answered, true);
  assert.equal(r.freed, "invalid_argument");
  assert.deepEqual([r.base64url, r.raw], [[], []]);
});
