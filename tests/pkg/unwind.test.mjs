// Exports that a throw unwinds (reviews 104 A, 108 C, 110 F3; SECURITY, "Exports that survive a throw"). A
// RangeError at the JS stack's limit (an app's call deep in its own recursion), a trap, or what app code throws inside
// an import unwinds the wasm's frames without their epilogues and without Rust's drops. Each scenario runs in a child
// Node process: before the fix they left the module broken for good.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
// `instance`: the instance's own exports, caught as the glue makes it (the glue keeps the stack pointer to itself).
import { child, instances as instance, overflows } from "./region.mjs";
// The page module exports no pointer since the twenty-sixth session (its exports put it at their top themselves): its
// tests read it from a copy that exports it as `g`, its code the shipped module's (stack.mjs).
import { FULL_POINTER, PAGE_TOP, pagePointer } from "./stack.mjs";

// The full build's allocator (talc) was left half-updated when an overflow hit one of its own functions mid-update
// (register_gap, inside allocate): within ~500 overflows every later call trapped "memory access out of bounds". Both
// builds now allocate with raw.rs' Heap, whose lists are consistent at each of its calls.
test("unwind: the full build answers as before after overflows inside its starts, callbacks, token parses and constructors", () => {
  const result = child(`
const { OAuthClient } = await import(pkg + "node.js");
${overflows}
const make = () => new OAuthClient({ provider: "billit", clientId: "c", clientSecret: "s3cret-value", redirectUri });
const client = make();
const flow = client.startAuthorization({});
const url = redirectUri + "?code=code-of-user-a&state=" + flow.state;
const body = JSON.stringify({ access_token: "token-of-user-a", token_type: "Bearer" });
const ops = {
  start: () => client.startAuthorization({}).state.length,
  fast: () => client.parseCallback(url, flow.pending).code,
  general: () => client.parseCallback(url, null),
  token: () => client.parseTokenResponse({ status: 200, body }).accessToken,
  constructor: () => make().free(),
};
const out = {};
for (const [name, op] of Object.entries(ops)) {
  near(op, 4);
  out[name] = answer(() => ({ code: [client.parseCallback(url, flow.pending).code, client.parseTokenResponse({ status: 200, body }).accessToken, client.startAuthorization({}).state.length > 20].join() }));
}
let free = "freed";
try { client.free(); } catch (e) { free = e.message; }
console.log(JSON.stringify({ out, free, after: answer(() => client.startAuthorization({})), caught: caught > 200 }));
`);
  const ok = "code-of-user-a,token-of-user-a,true";
  assert.deepEqual(result, { out: { start: ok, fast: ok, general: ok, token: ok, constructor: ok }, free: "freed", after: "invalid_argument", caught: true });
});

// The mechanism of review 110 F3, read directly: after the overflows each build's shadow stack pointer is back at the
// value it had before (exports that return leave it there; unwound ones left it lower, ~2,000 of them for good).
// (The page build's pointer is `g`, a test copy's export, since the twenty-sixth session.)
for (const [build, entry, glue, pointer, copy] of [["page", "page-node.js", "page/partner_oauth.js", "g", pagePointer], ["full", "node.js", "partner_oauth.js", FULL_POINTER, ""]]) {
  test(`unwind: the ${build} build's stack pointer is back at its top after overflows inside each export`, () => {
    const result = child(`${instance}${copy}
const { OAuthClient } = await import(pkg + ${JSON.stringify(entry)});
const { newPkceVerifier, pkceChallenge } = await import(pkg + ${JSON.stringify(glue)});
WebAssembly.Instance = Instance;
${overflows}
const sp = made[0].${pointer};
const top = sp?.value;
const client = new OAuthClient({ provider: "payfit", clientId: "c", redirectUri });
const flow = client.startAuthorization({});
const url = redirectUri + "?code=c&state=" + flow.state;
const ops = [
  () => new OAuthClient({ provider: "payfit", clientId: "c", redirectUri: "not a url" }),
  () => client.startAuthorization({}),
  () => client.parseCallback(url, flow.pending),
  () => client.parseCallback(url, "p"),
  () => client.provider,
  () => newPkceVerifier(),
  () => pkceChallenge("x".repeat(50)),
];
const drift = [made.length];
for (const op of ops) { near(op, 2); drift.push(sp?.value === top); }
console.log(JSON.stringify({ top: typeof top, drift, code: answer(() => client.parseCallback(url, flow.pending)) }));
`);
    assert.deepEqual(result, { top: "number", drift: [1, true, true, true, true, true, true, true], code: "c" });
  });
}

// Exports nest in the full build: app code inside an import (here a replaced Date.now, which the general entry calls
// while it holds the client) calls the package. An overflow unwinding the inner calls puts back the pointer the inner
// call started from, never the top: the outer call's frames keep theirs, and it answers its own callback.
test("unwind: overflows inside calls nested in an import leave the outer call and the stack intact", () => {
  const result = child(`${instance}
const { OAuthClient } = await import(pkg + "node.js");
WebAssembly.Instance = Instance;
${overflows}
const sp = made[0][${JSON.stringify(FULL_POINTER)}];
const top = sp.value;
const general = Object.getPrototypeOf(OAuthClient).prototype.parseCallback;
const a = new OAuthClient({ provider: "billit", clientId: "a", redirectUri });
const b = new OAuthClient({ provider: "billit", clientId: "b", redirectUri });
const flowA = a.startAuthorization({}), flowB = b.startAuthorization({});
const urlA = redirectUri + "?code=code-of-user-a&state=" + flowA.state, urlB = redirectUri + "?code=code-of-user-b&state=" + flowB.state;
const now = Date.now;
let inner = 0;
Date.now = () => { if (inner++ === 0) near(() => b.parseCallback(urlB, flowB.pending), 2); return now(); };
const outer = answer(() => general.call(a, urlA, flowA.pending));
Date.now = now;
console.log(JSON.stringify({ outer, inner: inner > 1, b: answer(() => b.parseCallback(urlB, flowB.pending)), stack: sp.value === top, caught: caught > 50 }));
`);
  assert.deepEqual(result, { outer: "code-of-user-a", inner: true, b: "code-of-user-b", stack: true, caught: true });
});

// review 104 A's release: free() no longer depends on wasm-bindgen's borrow mark, so a free() made by app code while
// a call of the same client runs (inside an import: Date.now, which the general entry calls while it holds the
// client) frees it too: the running call ends with its own count of the client, which is dropped with it; every later
// call answers invalid_argument. (Before: free() threw "recursive use of an object".)
test("unwind: free() inside an import during the same client's callback frees it once the callback has answered", () => {
  const result = child(`
const { OAuthClient } = await import(pkg + "node.js");
const general = Object.getPrototypeOf(OAuthClient).prototype.parseCallback;
const a = new OAuthClient({ provider: "billit", clientId: "a", clientSecret: "s3cret-value", redirectUri });
const flow = a.startAuthorization({});
const url = redirectUri + "?code=code-of-user-a&state=" + flow.state;
const now = Date.now;
let during = null;
Date.now = () => { if (during === null) { during = "freed"; try { a.free(); } catch (e) { during = e.message; } } return now(); };
const outer = answer(() => general.call(a, url, flow.pending));
Date.now = now;
console.log(JSON.stringify({ during, outer, after: answer(() => a.parseCallback(url, flow.pending)), again: answer(() => ({ code: a.free() ?? "freed" })) }));
`);
  assert.deepEqual(result, { during: "freed", outer: "code-of-user-a", after: "invalid_argument", again: "freed" });
});

// The glues pass an export at most 8 arguments (unwind.js) and 6 (raw.js): no export takes more.
test("unwind: no export of either build takes more arguments than its glue's guard passes", () => {
  for (const [file, most] of [["../../pkg/partner_oauth_bg.wasm", 8], ["../../pkg/page/partner_oauth_bg.wasm", 6]]) {
    const module = new WebAssembly.Module(readFileSync(new URL(file, import.meta.url)));
    const imports = {};
    for (const { module: from, name } of WebAssembly.Module.imports(module)) (imports[from] ??= {})[name] = () => 0;
    const exports = new WebAssembly.Instance(module, imports).exports;
    const over = Object.keys(exports).filter((name) => typeof exports[name] === "function" && exports[name].length > most);
    assert.deepEqual(over, [], file);
  }
});

// The page build puts its pointer back at its top before each call, not when a call throws (its exports never nest:
// the module imports nothing, so no JS runs inside one): at each entry of raw.js in the twenty-fifth session, at the
// start of each export since the twenty-sixth. A trap unwinds the wasm mid-call as an overflow does, here
// deterministically: `a` (the input's allocation) asked for more than the address space traps (through alloc's
// `with_capacity` it took 32 B of stack first), and 40,000 of them in a row left the pointer 1.28 MB down, past the
// 1 MiB stack, before the twenty-sixth session (now it stays within a few frames: `storm`). So the test then puts it there itself, through the test copy's
// `g`, and each entry's first call must answer as before, with the pointer back at its top: a module or glue that put
// it back after a call, only when a call throws, or at some entries or exports only, fails here.
test("unwind: each page entry answers after the stack was unwound 40,000 times in a row", () => {
  const result = child(`${instance}${pagePointer}
const { readFileSync } = await import("node:fs");
const { createHash } = await import("node:crypto");
const { OAuthClient } = await import(pkg + "page-node.js");
const glue = await import(pkg + "page/partner_oauth.js");
const raw = glue.initSync({ module: readFileSync(new URL("page/partner_oauth_bg.wasm", pkg)) });
WebAssembly.Instance = Instance;
const sp = made[0].g;
const top = sp.value;
const client = new OAuthClient({ provider: "payfit", clientId: "c", redirectUri });
const flow = client.startAuthorization({});
const url = redirectUri + "?code=c&state=" + flow.state;
// Made before the storms: free() is then the entry's first call.
const spare = new OAuthClient({ provider: "payfit", clientId: "c", redirectUri });
const ops = {
  constructor: () => new OAuthClient({ provider: "payfit", clientId: "c", redirectUri }).provider,
  start: () => client.startAuthorization({}).url.startsWith("https://"),
  callback: () => client.parseCallback(url, flow.pending).code,
  refused: () => answer(() => client.parseCallback(url, "p")),
  provider: () => client.provider,
  environment: () => client.environment,
  free: () => spare.free() ?? "freed",
  verifier: () => glue.newPkceVerifier().length,
  challenge: () => glue.pkceChallenge("x".repeat(50)) === createHash("sha256").update("x".repeat(50)).digest("base64url"),
};
const out = {};
let traps = 0, other = null;
for (const [name, op] of Object.entries(ops)) {
  for (let i = 0; i < 40000; i++) try { raw.a(-1); } catch (e) { if (e instanceof WebAssembly.RuntimeError) traps++; else other ??= String(e); }
  const storm = top - sp.value < 1024;
  sp.value = top - 40000 * 32;
  const down = top - sp.value;
  out[name] = [storm, down > 1 << 20, answer(() => ({ code: op() })), sp.value === top];
}
console.log(JSON.stringify({ top, out, traps, other, after: answer(() => client.parseCallback(url, flow.pending)) }));
`);
  const down = (value) => [true, true, value, true];
  assert.deepEqual(result, {
    top: PAGE_TOP,
    out: {
      constructor: down("payfit"), start: down(true), callback: down("c"), refused: down("invalid_pending"), provider: down("payfit"),
      environment: down("production"), free: down("freed"), verifier: down(43), challenge: down(true),
    },
    traps: 360000,
    other: null,
    after: "c",
  });
});

// The page's methods call no export while app code runs, but app code runs inside a method between two of its calls
// (here a replaced crypto.getRandomValues, which the start's input calls after its allocation and before the start's
// export): a page call made there enters again and puts the pointer back, and overflows inside it unwind only its own
// frames. The outer start answers its own flow, whose callback parses; the pointer is back at its top.
test("unwind: page calls made inside a start's getRandomValues, overflows included, leave the outer start intact", () => {
  const result = child(`${instance}${pagePointer}
const { OAuthClient } = await import(pkg + "page-node.js");
WebAssembly.Instance = Instance;
${overflows}
const sp = made[0].g;
const top = sp.value;
const a = new OAuthClient({ provider: "billit", clientId: "a", redirectUri });
const b = new OAuthClient({ provider: "billit", clientId: "b", redirectUri });
// The glue's random pool is empty before the first start: the outer one calls getRandomValues.
const fill = crypto.getRandomValues;
let inner = 0, flowB, urlB;
crypto.getRandomValues = function (view) {
  if (inner++ === 0) {
    flowB = b.startAuthorization({});
    urlB = redirectUri + "?code=code-of-user-b&state=" + flowB.state;
    near(() => b.parseCallback(urlB, flowB.pending), 2);
    near(() => b.startAuthorization({}), 1);
  }
  return fill.call(this, view);
};
const flowA = answer(() => ({ code: a.startAuthorization({ payload: "outer" }) }));
crypto.getRandomValues = fill;
const urlA = redirectUri + "?code=code-of-user-a&state=" + flowA.state;
const back = answer(() => ({ code: [a.parseCallback(urlA, flowA.pending)].map((r) => r.code + "|" + r.payload)[0] }));
console.log(JSON.stringify({ back, inner: inner > 1, b: answer(() => b.parseCallback(urlB, flowB.pending)), stack: sp.value === top, caught: caught > 50 }));
`);
  assert.deepEqual(result, { back: "code-of-user-a|outer", inner: true, b: "code-of-user-b", stack: true, caught: true });
});
