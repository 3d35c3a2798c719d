// What an unwind (a RangeError at the JS stack's limit inside a wasm frame) left in the full build after the
// twenty-fourth session's fix (SECURITY, "Exports that survive a throw"): io.js' `finally` freed an Exchange or a
// JwtCheck through wasm-bindgen's own free(), which throws once a call of the object was unwound (its borrow and count
// stay taken), so the caller got wasm-bindgen's "attempted to take ownership" instead of the call's own error; and the
// random pool's RefCell stayed borrowed when an overflow hit a draw, so every later start asked the platform itself.
// Each scenario runs in a child Node process, as tests/pkg/unwind.test.mjs's do.
import { test } from "node:test";
import assert from "node:assert/strict";
import { child, instances, overflows } from "./region.mjs";

// The instance's own exports, caught as the glue makes it: its memory, to search for a secret.
const instance = `${instances}
const holds = (text) => Buffer.from(made[0].memory.buffer).includes(text);`;

// App code throwing from an import the wasm calls mid-call unwinds it too: here a replaced Date.now, armed just before
// the call that reads the answer (by the answer's body, or WebCrypto's verify), which reads the clock; it throws once.
const clock = `
const now = Date.now;
let armed = false, fired = false;
Date.now = () => { if (armed && !fired) { fired = true; throw new Error("the app's clock failed"); } return now(); };`;

test("unwind: an exchange whose finish was unwound rejects with its own error, its secrets gone from memory", () => {
  const result = child(`${instance}
const { OAuthClient } = await import(pkg + "node.js");
WebAssembly.Instance = Instance;
${clock}
const refresh = "rt-of-user-a-" + "9".repeat(20);
const body = JSON.stringify({ access_token: "at-2", token_type: "Bearer" });
const fetch = async () => ({ status: 200, headers: new Headers(), body: null, text: async () => { armed = true; return body; } });
const client = new OAuthClient({
  provider: "custom", clientId: "cid", clientSecret: "s3cret-value", redirectUri, fetch,
  endpoints: { authorize: "https://as.example/authorize", token: "https://as.example/token" },
});
const failed = await client.refresh({ accessToken: "at-1", refreshToken: refresh }).then(() => "answered", (e) => e?.message);
const after = (await client.refresh({ accessToken: "at-1", refreshToken: "rt-1" })).accessToken;
console.log(JSON.stringify({ failed, after, held: holds(refresh) }));
`);
  assert.deepEqual(result, { failed: "the app's clock failed", after: "at-2", held: false });
});

test("unwind: a JWT check whose finish was unwound rejects with its own error, the token gone from memory", () => {
  const result = child(`${instance}
const { verifyAccessToken } = await import(pkg + "node.js");
const { createHmac } = await import("node:crypto");
WebAssembly.Instance = Instance;
${clock}
const subtle = crypto.subtle, verify = subtle.verify.bind(subtle);
subtle.verify = async (...args) => { const verified = await verify(...args); armed = true; return verified; };
const secret = "secret-secret-secret-secret-secret";
const jwk = { kty: "oct", k: Buffer.from(secret).toString("base64url"), alg: "HS256" };
const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
const subject = "subject-of-user-a-" + "7".repeat(20);
const input = part({ alg: "HS256", typ: "JWT" }) + "." + part({ sub: subject, exp: Math.floor(now() / 1000) + 600 });
const token = input + "." + createHmac("sha256", secret).update(input).digest("base64url");
const failed = await verifyAccessToken(token, { key: jwk }).then(() => "answered", (e) => e?.message);
const held = holds(subject);
subtle.verify = verify;
const after = (await verifyAccessToken(token, { key: jwk })).sub === subject;
console.log(JSON.stringify({ failed, after, held }));
`);
  assert.deepEqual(result, { failed: "the app's clock failed", after: true, held: false });
});

// The client's calls each hold a count of it (SECURITY, "Exports that survive a throw"): one unwound while holding it
// kept the client, secrets included, in memory after free(). Its start and callback now drop it before their answer is
// made in JS, where app code may throw (here a replaced String.prototype.slice, which reads the answer's parts).
test("unwind: a client whose start and callbacks were unwound making their answers drops its secret with free()", () => {
  const result = child(`${instance}
const { OAuthClient } = await import(pkg + "node.js");
const { OAuthClient: Core } = await import(pkg + "partner_oauth.js");
WebAssembly.Instance = Instance;
const secret = "secret-of-the-client-" + "5".repeat(20);
const client = new OAuthClient({ provider: "billit", clientId: "c", clientSecret: secret, redirectUri });
const flow = client.startAuthorization({});
const url = redirectUri + "?code=code-of-user-a&state=" + flow.state;
const slice = String.prototype.slice;
const failing = (call) => {
  String.prototype.slice = function () { String.prototype.slice = slice; throw new Error("the app's slice failed"); };
  try { return call().code; } catch (e) { return e.message; } finally { String.prototype.slice = slice; }
};
const failed = [
  failing(() => client.startAuthorization({})),
  failing(() => client.parseCallback(url, flow.pending)),
  failing(() => Core.prototype.parseCallback.call(client, url, flow.pending)),
];
const before = holds(secret);
client.free();
console.log(JSON.stringify({ failed, before, after: holds(secret), answer: answer(() => client.startAuthorization({})) }));
`);
  const failed = "the app's slice failed";
  assert.deepEqual(result, { failed: [failed, failed, failed], before: true, after: false, answer: "invalid_argument" });
});

// The pool draws 16 KiB from the platform once per 341 flows; a pool left borrowed by an unwound draw made every
// later start ask the platform for its own 48 bytes.
test("unwind: overflows inside starts leave the random pool in use: later starts seldom ask the platform", () => {
  const result = child(`
const { OAuthClient } = await import(pkg + "node.js");
${overflows}
let asked = 0;
const getRandomValues = crypto.getRandomValues.bind(crypto);
crypto.getRandomValues = (array) => { asked++; return getRandomValues(array); };
const client = new OAuthClient({ provider: "billit", clientId: "c", redirectUri });
near(() => client.startAuthorization({}), 4);
asked = 0;
const states = new Set();
for (let i = 0; i < 100; i++) states.add(client.startAuthorization({}).state);
console.log(JSON.stringify({ asked: asked <= 1 ? "at most once" : asked, distinct: states.size, range: caught > 50 }));
`);
  assert.deepEqual(result, { asked: "at most once", distinct: 100, range: true });
});
