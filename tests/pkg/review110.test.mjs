// Review 110 (outside reviewer on the nineteenth session's constructor and page error path, 0b6932f). No regression
// of that diff; three older findings about OAuthError and the wasm's shadow stack. Each scenario runs in a child Node
// process: a frozen Error.prototype, a polluted Object.prototype or a trapped instance must not reach later tests.
import { test } from "node:test";
import assert from "node:assert/strict";
import { child } from "./region.mjs";

// F2 (low, older): OAuthError read `details.cause` and `details.url` through the prototype chain, so plain values on
// Object.prototype became every error's own fields, in both builds.
test("review110 F2: values on Object.prototype never become an OAuthError's own fields", () => {
  const result = child(`
const out = {};
for (const entry of ["node.js", "page-node.js"]) {
  const { OAuthClient } = await import(pkg + entry);
  Object.prototype.cause = "forged cause";
  Object.prototype.url = "https://attacker.example/";
  let e;
  try { new OAuthClient({ provider: "nope", clientId: "c" }); } catch (x) { e = x; }
  delete Object.prototype.cause;
  delete Object.prototype.url;
  out[entry] = { code: e.code, own: Object.keys(e).filter((k) => k === "cause" || k === "url"), hasCause: Object.hasOwn(e, "cause") };
}
console.log(JSON.stringify(out));
`);
  const clean = { code: "unknown_provider", own: [], hasCause: false };
  assert.deepEqual(result, { "node.js": clean, "page-node.js": clean });
});

// F2 and F1 (medium, older): with Error.prototype frozen (lockdown-style hardening, no attacker) OAuthError's
// `this.name = ...` threw (the override mistake), so every refusal was a TypeError with no code; in the full build
// that throw unwound through the wasm from its error import, leaking shadow stack each time, until every call, valid
// ones too, trapped ("memory access out of bounds") after ~540 refusals.
test("review110 F1: with Error.prototype frozen, refusals stay OAuthErrors and the instance keeps working", () => {
  const result = child(`
Object.freeze(Error.prototype);
const out = {};
for (const entry of ["node.js", "page-node.js"]) {
  const { OAuthClient } = await import(pkg + entry);
  const client = new OAuthClient({ provider: "payfit", clientId: "client", redirectUri });
  const seen = new Set();
  let broke = null;
  for (let i = 0; i < 2000 && broke === null; i++) {
    seen.add(answer(() => client.parseCallback(redirectUri + "?state=forged", "forged")));
    seen.add(answer(() => new OAuthClient({ provider: "payfit", clientId: "client", redirectUri: "not a url" })));
    try { client.startAuthorization({ scopes: ["openid"] }); } catch (e) { broke = i + ": " + e.message; }
  }
  const e = (() => { try { new OAuthClient({ provider: "nope", clientId: "c" }); } catch (x) { return x; } })();
  out[entry] = { seen: [...seen].sort(), broke, name: e.name, keys: Object.keys(e) };
}
console.log(JSON.stringify(out));
`);
  const expected = { seen: ["invalid_pending", "invalid_redirect_uri"], broke: null, name: "OAuthError", keys: ["name", "code"] };
  assert.deepEqual(result, { "node.js": expected, "page-node.js": expected });
});

// F1 (medium, older): a TextDecoder.prototype.decode that throws (a flaky polyfill) while the full build's error
// import decodes the message unwound through the wasm the same way; the instance trapped for good after a few hundred.
test("review110 F1: a decoder that throws while an error is made does not break the full build for good", () => {
  const result = child(`
const { OAuthClient } = await import(pkg + "node.js");
const good = { provider: "payfit", clientId: "client", redirectUri };
const client = new OAuthClient(good);
const decode = TextDecoder.prototype.decode;
for (let i = 0; i < 3000; i++) {
  TextDecoder.prototype.decode = function () { throw new Error("decoder unavailable"); };
  try { client.parseCallback(redirectUri + "?state=x", "p"); } catch {}
  TextDecoder.prototype.decode = decode;
}
console.log(JSON.stringify({ after: answer(() => new OAuthClient(good).startAuthorization({}).url.length > 0 ? { code: "ok" } : {}) }));
`);
  assert.deepEqual(result, { after: "ok" });
});

// F3 (low, older; the family of review 104 A): a RangeError thrown inside a wasm export near the JS stack's limit
// unwinds the page build's frames without restoring the shadow-stack pointer; after ~2,000 such overflows (no
// tampering at all: refused constructors made deep in an app's recursion) every call traps ("memory access out of
// bounds") until the page reloads. Fixed: the glue puts the stack pointer back when an export throws (unwind.test.mjs
// reads it).
// Each round's overflows are the frames nearest the limit, contiguous (measured: no refusal between two of them), so
// a frame stops trying once 32 attempts in a row were refused in full: the same ~28 overflows a round (over 2,000 in
// all, as the finding needs) without the ~13,000 refused constructors a round that overflowed nothing (~35 s -> 0.3 s).
test("review110 F3: overflows inside the page build's exports near the stack's limit do not break the instance", () => {
  const result = child(`
const { OAuthClient } = await import(pkg + "page-node.js");
const good = { provider: "payfit", clientId: "client", redirectUri };
const bad = { provider: "payfit", clientId: "client", redirectUri: "not a url" };
let overflows = 0;
let calm = 0;
let error = null;
// Only an assignment in the catch: no call there that could overflow and hide which error it was.
const deep = () => {
  try { deep(); } catch {}
  if (calm < 32) {
    error = null;
    try { new OAuthClient(bad); } catch (e) { error = e; }
    if (error?.name === "RangeError") { overflows++; calm = 0; } else calm++;
  }
};
let broken = null;
for (let round = 0; round < 120 && broken === null; round++) {
  calm = 0;
  deep();
  try { new OAuthClient(good).free(); } catch (e) { broken = e.message; }
}
console.log(JSON.stringify({ broken, overflows }));
`);
  assert.deepEqual(result.broken, null);
  assert.ok(result.overflows > 2000, `only ${result.overflows} overflows inside the constructor`);
});
