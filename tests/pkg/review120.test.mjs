// Review 120 (outside reviewer on the JavaScript merged from helper js38, 5db1392..6fbef49,
// `git diff 5db1392 6fbef49 -- src/wasm pkg-template`: options.js' tree() given its schema and JSON.stringify's
// replacer (configJson's `finite`), a number's digits tested by the regex's own ToString, each wrong field's message
// written at its check; raw.js' release() as `wasm.f(cell[0], (cell[0] = 0))`, ready() taking an Instance or
// instantiate's { module, instance }, initSync setting `wasm` itself, the start's and callback's answers read from
// the slots (results.js' startedFrom and callbackFrom), the error's text() taking a length, hasDocument inlined).
// No finding confirmed. The hashes below marked 5db1392 are that commit's package's answers (both builds, same
// random bytes and clock, fixed inside each child script), which 6fbef49's equal; those marked 6fbef49 also pin the
// call logs of replaced builtins, which differ from 5db1392's only as noted. The scripts are in
// review120-scripts.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { childRunner } from "./child.mjs";
import { createHash } from "node:crypto";

const pkg = new URL("../../pkg/", import.meta.url).href;
const scripts = new URL("./review120-scripts.mjs", import.meta.url).href;
/** `call` (an expression using the scripts `s` and `pkg`) run in a child Node process started with --expose-gc. */
const run = childRunner(scripts, pkg, ["--expose-gc"]);
const hash = (value) => createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16);
const answers = (out) => Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.r]));
const ENTRIES = ["page-node.js", "node.js"];
// The secret and state key the scripts' options carry.
const noSecrets = (out) => {
  const text = JSON.stringify(answers(out));
  assert.ok(!text.includes("hunter2") && !text.includes("KKKKKKKK"), "an answer or message holds the secret or the key");
};

// Held: 92 client options (each number field given 0, -0, 1, 7.5, -1, NaN, ±Infinity, 2^53, 2^64-2048, 2^64, 1e21,
// 1e-7, "5", "", true, [], {}, null, 5n, new Number(5); unknown names holding the secret or key; toJSON; NaN beside a
// secret; bad choices) each given plain, as a Proxy logging every trap, and as getters logging every read; 13 start
// options (non-ASCII payloads and params, toJSON, NaN) plain and as Proxies, each start's callback parsed three ways
// (non-ASCII code and iss, a 4-byte code, an empty iss). Every answer, message, trap and read, in order and count, is
// 5db1392's in each build; no message holds the secret or key.
test("review120 (held): options read through Proxies and getters, starts and callbacks, answer as 5db1392's", async () => {
  const got = await Promise.all(ENTRIES.map((e) => run(`s.traced(pkg, ${JSON.stringify(e)})`)));
  got.forEach(noSecrets);
  assert.equal(Object.keys(got[0]).length, 301);
  assert.deepEqual(got.map(hash), ["add8677d2a5b1d66", "a52e2a6a6a67defa"]);
});

// Held: Object.prototype and Array.prototype given logging getters (instance, exports, provider, clientId,
// clientSecret, stateKey, preset, defaultLifetime, payload, scopes, toJSON, length, indices 0, 1, 4, 5) before the
// package loads and after: the same reads (only toJSON, and before load the indices), the same answers as 5db1392.
test("review120 (held): a polluted Object.prototype or Array.prototype, before load and after, reads and answers as 5db1392's", async () => {
  const got = await Promise.all(["before", "after"].flatMap((w) => ENTRIES.map((e) => run(`s.polluted(pkg, ${JSON.stringify(e)}, ${JSON.stringify(w)})`))));
  got.forEach(noSecrets);
  assert.deepEqual(got.map(hash), ["225b57f875a36a7e", "d60045a3d441028a", "e881815430cace7d", "e881815430cace7d"]);
});

// Held, with a difference in calls that is meant: RegExp.prototype.test and .exec, JSON.stringify, String,
// TextDecoder.prototype.decode and String.prototype.slice replaced after load by loggers. Answers: 5db1392's (first
// hash). Calls (second hash, 6fbef49's): 5db1392's but for (1) a number field's check: `test` now gets the number
// itself (its own ToString), is not called for a value that is no number (5db1392 tested "" for it), and String()
// runs after the checks, only for a number that passed (page, log mode: test 70 -> 48 calls, String 53 -> 33); and
// (2) a start's JSON.stringify is called with (value, undefined), two arguments, not one. The start's and callback's
// slices and decodes are the same calls with the same arguments.
// Re-pinned in the twenty-fourth session (the page's messages filled in its glue): the page build's error answer is
// decoded a part at a time, through results.js' `decode` taken at load, so a TextDecoder.prototype.decode replaced
// after load is no longer called for an error (6fbef49 called it once an error, for its message): the page's logs
// are 6fbef49's less those calls (11, 3 and 11 in the three modes), nothing else; the answers and the full build's
// logs are unchanged. The page's three call-log hashes below are the new ones (6fbef49's: d0f0cc13ded75529,
// 2b33b8b3ed12f235, 5ea66a2c867a4c12).
// Re-pinned in the thirty-fifth session (options.js' lone-surrogate check by its regex alone, no isWellFormed): the
// logs gain that regex's test and exec calls, one pair a string read (2,790, 1,395 and 2,544 calls in the three
// modes, both builds); without them every log hashes to the pin before (page 9bd7223150d0a932, 002f27f5a860a5af,
// 21d0d0ad40244495; full ff702d30dd721d3b, 4f2f398fe2b60b4f, cc763b07efec3a1f). The answers are unchanged.
test("review120 (held): replaced builtins see the same calls but the number check's, and the answers are 5db1392's", async () => {
  const modes = ["log", "testFalse", "stringifyHostile"];
  const got = await Promise.all(modes.flatMap((m) => ENTRIES.map((e) => run(`s.builtins(pkg, ${JSON.stringify(e)}, ${JSON.stringify(m)})`))));
  got.forEach(noSecrets);
  // The page glue's error path calls no replaced decode.
  for (const out of got.filter((_, i) => ENTRIES[i % 2] === "page-node.js")) {
    for (const [name, { r, log }] of Object.entries(out)) if ("err" in r) assert.ok(!log.some((call) => call.startsWith("decode")), name);
  }
  assert.deepEqual(
    got.map((out) => [hash(answers(out)), hash(out)]),
    [
      ["cf36c27695453738", "2b21fd66f0b0a392"],
      ["cf36c27695453738", "c4c96ed07aac8b01"],
      ["6f20d671c02bb16a", "631f51072550cd6a"],
      ["6f20d671c02bb16a", "6453a04af6111190"],
      ["31b191b2cce33510", "e26afe1959fffc6d"],
      ["31b191b2cce33510", "3b2219f78ffc9c5c"],
    ],
  );
});

// Noted (not a vulnerability: code that replaces builtins after load can already rewrite the whole record through
// TextEncoder.prototype.encodeInto, which input() calls): under a RegExp.prototype.test answering true, a number
// field that is no number is now refused in JS, where 5db1392 wrote "0:" (read as 0: "stateMaxAge must be 1 to 86400
// seconds", or a preset lifetime of 0 accepted); under a String() answering "abc" or 23 digits for numbers, what it
// answers is written unchecked (5db1392 refused it) and the wasm's record reader reads a malformed number as absent
// (record.rs `u64()`: None), so the client is made with the default. Answers pinned as 6fbef49's. Since the
// thirty-fifth session "testTrue" answers true to every regex but the lone-surrogate check's (there it would refuse
// every string).
test("review120 (noted): under replaced test or String, the number fields answer 6fbef49's, not 5db1392's", async () => {
  const modes = ["testTrue", "stringAbc", "stringBig"];
  const got = await Promise.all(modes.flatMap((m) => ENTRIES.map((e) => run(`s.builtins(pkg, ${JSON.stringify(e)}, ${JSON.stringify(m)})`))));
  got.forEach(noSecrets);
  assert.deepEqual(got.map((out) => hash(answers(out))), ["1dede2162bf1856d", "1dede2162bf1856d", "e99a20a6ef74cdfc", "e99a20a6ef74cdfc", "e99a20a6ef74cdfc", "e99a20a6ef74cdfc"]);
  const [testTrue, , stringAbc] = got;
  assert.deepEqual(testTrue['preset.defaultLifetime="5"'].r.msg, "client options.preset.defaultLifetime must be a whole, non-negative number"); // 5db1392: accepted (0)
  assert.deepEqual(testTrue["stateMaxAge=true"].r.msg, "client options.stateMaxAge must be a whole, non-negative number"); // 5db1392: "stateMaxAge must be 1 to 86400 seconds"
  assert.deepEqual(stringAbc["stateMaxAge=1"].r, { ok: ["custom", "default"] }); // 5db1392: "… must be a whole, non-negative number"
});

// Held: the handle. A double free, dispose then free, use after free (provider, environment, start, callback); a
// free from a start option's getter (the handle is read after it: invalid_argument); a free from a replaced decode
// while a start's or callback's answer is read (the answer, copied first, is returned; the client is then freed);
// a replaced register that frees the client it registers (cell left [0]); 900 clients, half freed, half dropped and
// collected: every survivor and every new client answers its own provider. 5db1392's answers, both builds.
test("review120 (held): double free, use after free, frees from callbacks and collection answer as 5db1392's", async () => {
  const got = await Promise.all(ENTRIES.map((e) => run(`s.handles(pkg, ${JSON.stringify(e)})`)));
  for (const out of got) {
    assert.equal(out.afterDoubleFree.msg, "this client was freed (free() was called)");
    assert.deepEqual(out.others.map((o) => o.ok[0]), ["factorial", "custom"]);
    assert.equal(out.freeInGetter.err, "invalid_argument");
    assert.ok(out.survivors.every((s) => s === true || s === "invalid_argument"));
    assert.deepEqual(out.fresh, ["custom", "billit", "factorial"]);
  }
  assert.equal(got[0].keptCell, "[0]");
  // The full build's hash moved three times (twenty-fourth session: its allocator is raw.rs' Heap, not talc;
  // twenty-fifth: that Heap a buddy allocator, review 123 F1; twenty-sixth: the client keeps its start buffer and
  // last start options, helper sf46): the one field that differs is keptCell, the client's address in the wasm's
  // heap (1137560 -> 1154568 -> 1117672 -> 1117960); every answer is 5db1392's.
  assert.deepEqual(got.map(hash), ["266c1eef5ea641e4", "01947a6b6ae8e21a"]);
});

// Held: the page glue's cell, seen through an accessor on its index (put there by a replaced register that keeps
// it): free() unregisters, reads the handle, then writes 0 (the call to f is after both, as the arguments are
// evaluated in order); a second free() reads 0 and frees nothing; of 40 clients dropped, the 10 freed first are
// never released again, the 30 others each once (one read of the handle, one write of 0). As 5db1392.
test("review120 (held): release() reads the handle once, zeroes it before f runs, and runs once a client", async () => {
  const got = await run(`s.cells(pkg, "page-node.js")`);
  assert.deepEqual(got, {
    freeTwice: ["get 0 h", "unregister", "get 0 h", "set 0 0", "unregister", "get 0 0", "set 0 0"],
    collected: { "get # h": 30, "set # 0": 30 },
    collectedIds: 30,
    freedNeverCollected: true,
    after: { ok: "billit" },
  });
});

// Held: init()'s sources (bytes, an ArrayBuffer, a Module, a promise of one, Responses with and without the wasm
// MIME type, a 404, an Instance, instantiate's result, { instance }, nothing, junk) answer as 5db1392's: an Instance
// or an instantiated result given to init() is refused by WebAssembly.instantiate, as before; two inits in flight
// keep one instance; initSync twice and init after it answer the same exports. With Object.prototype.instance
// planted after load, only init(Module) reads it (instantiate then answers an Instance, as 5db1392's `made.instance
// ?? made` read it too): the streaming and bytes paths read the result's own property, initSync nothing.
test("review120 (held): init and initSync accept and refuse what 5db1392's did", async () => {
  const norm = (v) => JSON.parse(JSON.stringify(v).replace(/"(\w*Error): [^"]*"/g, '"$1"'));
  const sources = norm(await run(`s.ready(pkg, "sources")`));
  const ok = { ok: ["billit", 132] };
  const down = { threw: "TypeError" };
  const okInit = "ok a,c,d,f,h,memory,n,p,s,t,v";
  assert.deepEqual(sources, {
    bytes: [okInit, ok], arrayBuffer: [okInit, ok], module: [okInit, ok], promiseOfModule: [okInit, ok],
    responseWasm: [okInit, ok], responseOther: [okInit, ok], response404: ["Error", down], instance: ["TypeError", down],
    instantiated: ["TypeError", down], objectWithInstance: ["TypeError", down], nothing: ["TypeError", down],
    junk: ["CompileError", down], twice: [true, ok], initSyncTwice: [true, ok, true], initSyncInstance: "TypeError",
  });
  const polluted = norm(await run(`s.ready(pkg, "pollutedInstance")`));
  assert.deepEqual(polluted, {
    bytes: [okInit, [], ok], responseWasm: [okInit, [], ok], responseOther: [okInit, [], ok],
    module: ["ok marker", ["Instance"], down], initSync: ["a,c,d,f,h,memory,n,p,s,t,v", [], ok],
  });
});

// Noted (meant by the change): a platform whose instantiateStreaming answers an Instance itself, not
// { module, instance }, is now accepted (ready() reads `made.instance ?? made`); 5db1392 threw a TypeError.
test("review120 (noted): an instantiateStreaming that answers an Instance is accepted", async () => {
  assert.deepEqual(await run(`s.ready(pkg, "streamingReturnsInstance")`), { init: "ok a,c,d,f,h,memory,n,p,s,t,v", works: { ok: ["billit", 132] } });
});

// Held: hasDocument's test written in the constructor's call reads a global `document` getter as 5db1392 did (once
// when it answers undefined, twice otherwise: null is no page; {}, 0 and "" are, and refuse a clientSecret); a getter
// that frees another client and makes new ones between the options' copy into the wasm and the constructor's export
// leaves the constructor its own buffer: its client, start and callback answer as usual.
test("review120 (held): the inlined document test reads and answers as 5db1392's", async () => {
  const got = await run(`s.documentProbe(pkg)`);
  const refused = { err: "secret_in_browser", msg: "a clientSecret was given to a client in a browser page; exchange codes on a server (Worker, Node) instead", name: "OAuthError" };
  assert.deepEqual(got, {
    "undefined undefined": [{ ok: "billit" }, ["document"]],
    "null object": [{ ok: "billit" }, ["document", "document"]],
    "[object Object] object": [refused, ["document", "document"]],
    "0 number": [refused, ["document", "document"]],
    " string": [refused, ["document", "document"]],
    reenter: [{ ok: ["billit", "https://my.billit.be/Account/Logon?client_id=c2&redirect_uri", "C"] }, ["reenter", "reenter", { ok: "factorial" }, { ok: 43 }]],
    victim: { err: "invalid_argument", msg: "this client was freed (free() was called)", name: "OAuthError" },
  });
});
