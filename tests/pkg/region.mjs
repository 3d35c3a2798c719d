// Shared by the reviews of the full build's parseCallback fast entry (tests/pkg/review100–104.test.mjs).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";

export const redirectUri = "https://app.example/cb";
const pkg = new URL("../../pkg/", import.meta.url).href;

/** f()'s code, or the error's code (or name) and message. */
export const codeOr = (f) => {
  try {
    return f().code;
  } catch (e) {
    return `${e?.code ?? e?.name}: ${e?.message}`;
  }
};

/** User A's callback parsed while app code parses user B's inside it: `install(client, reenter)` sets up the app
 * code, which calls `reenter()` (B's parse, once), and returns what A's callback is parsed through (the client, or
 * a wrapper of it). Each call answers with its own texts. */
export function assertReentryKeepsTexts(client, install) {
  const { a, b, urlA, urlB } = flows(client);
  let inner = null;
  const reenter = () => {
    if (inner !== null) return;
    inner = "running";
    inner = codeOr(() => client.parseCallback(urlB, b.pending));
  };
  const through = install(client, reenter);
  const outer = codeOr(() => through.parseCallback(urlA, a.pending));
  assert.ok(inner !== null, "precondition: the inner call ran inside the outer");
  assert.deepEqual({ outer, inner }, { outer: "code-of-user-a", inner: "code-of-user-b" });
}

/** Two flows of one client, A's and B's callback URLs of the same length, each parsed once as a precondition. */
export function flows(client) {
  const a = client.startAuthorization({});
  const b = client.startAuthorization({});
  const urlA = `${redirectUri}?code=code-of-user-a&state=${a.state}`;
  const urlB = `${redirectUri}?code=code-of-user-b&state=${b.state}`;
  assert.equal(urlA.length, urlB.length);
  assert.equal(client.parseCallback(urlA, a.pending).code, "code-of-user-a", "precondition");
  assert.equal(client.parseCallback(urlB, b.pending).code, "code-of-user-b", "precondition");
  return { a, b, urlA, urlB };
}

/** Runs `source` (an ES module) in a child Node process, for scenarios that may leave the module broken; the
 * last line it prints, as JSON. `source` may use `pkg`, and `answer(f)`: f()'s code, or the error's code or text. */
export function child(source) {
  const prelude = `
const pkg = ${JSON.stringify(pkg)};
const redirectUri = ${JSON.stringify(redirectUri)};
const answer = (f) => { try { return f().code; } catch (e) { return e?.name === "OAuthError" ? e.code : (e?.constructor?.name ?? typeof e) + ": " + e?.message; } };
`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", prelude + source], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return JSON.parse(out.trim().split("\n").pop());
}

/** Client A's callback parsed while `tamper` (source run in the child) lets app code free A through wasm-bindgen's
 * own free() and build client B in its memory (`freeA()`); `restore` undoes the tampering. The call answers from A
 * or refuses the freed client, never from another client's memory, and the module stays usable. */
export function assertFreedClientNeverRead(tamper, restore) {
  const result = child(`
const { OAuthClient } = await import(pkg + "node.js");
const glueFree = Object.getPrototypeOf(OAuthClient).prototype.free;
const a = new OAuthClient({ provider: "billit", clientId: "client-a", redirectUri });
const flow = a.startAuthorization({});
const url = redirectUri + "?code=code-of-user-a&state=" + flow.state;
const before = answer(() => a.parseCallback(url, flow.pending));
let b = null;
const freeA = () => {
  if (b !== null) return;
  glueFree.call(a);
  b = new OAuthClient({ provider: "billit", clientId: "client-b", redirectUri: "https://b.example/cb" });
};
${tamper}
const during = answer(() => a.parseCallback(url, flow.pending));
${restore}
let bId;
try { bId = b?.clientId; } catch (e) { bId = (e?.constructor?.name) + ": " + e?.message; }
const after = answer(() => {
  const c = new OAuthClient({ provider: "billit", clientId: "client-c", redirectUri });
  const flowC = c.startAuthorization({});
  return c.parseCallback(redirectUri + "?code=code-of-user-c&state=" + flowC.state, flowC.pending);
});
console.log(JSON.stringify({ before, during, bId, after }));
`);
  assert.equal(result.before, "code-of-user-a", "precondition");
  const own = result.during === "code-of-user-a" || result.during === "invalid_argument" || /null pointer|borrowed/.test(result.during);
  assert.deepEqual(
    { during: own ? "client A's answer or a refusal" : result.during, bId: result.bId, after: result.after },
    { during: "client A's answer or a refusal", bId: result.bId === undefined ? undefined : "client-b", after: "code-of-user-c" },
  );
}

const tokenA = { access_token: "token-of-user-a", token_type: "Bearer", refresh_token: "refresh-of-user-a", scope: "read write admin" };

/** User A's token as the reviews' scenarios parse it (obtainedAt and expiresAt left out). */
export const expectedTokenA = {
  accessToken: "token-of-user-a",
  tokenType: "Bearer",
  neverExpires: false,
  refreshToken: "refresh-of-user-a",
  scopes: ["read", "write", "admin"],
  scopesInferred: false,
  extra: {},
  companyId: null,
  raw: JSON.stringify(tokenA),
};

/** A child's source (see `child`): user A's token parsed while app code parses user B's (a larger body: the wasm's
 * memory grows) inside `hook`, which calls `reenter()` (B's parse, once) while `armed`; `restore` undoes the hook.
 * Prints A's token or the error (`outer`: the whole token, or with `fields`, its access and refresh tokens and
 * scopes, read after one parse has made the glue's cached views), B's access token (`inner`), and whether A can
 * still be freed (`free`). Reviews 105, 107, 108. */
export const tokenReentry = (hook, restore, fields = false) => `
const { OAuthClient } = await import(pkg + "node.js");
const make = (id) => new OAuthClient({ provider: "billit", clientId: id, clientSecret: "secret-" + id, redirectUri });
const a = make("a"), b = make("b");
const bodyA = ${JSON.stringify(JSON.stringify(tokenA))};
const bodyB = JSON.stringify({ access_token: "token-of-user-b", token_type: "Bearer", pad: "x".repeat(900000) });
let inner = null;
const reenter = () => {
  if (inner !== null) return;
  inner = "running";
  inner = answer(() => ({ code: b.parseTokenResponse({ status: 200, body: bodyB }).accessToken }));
};
const whole = () => {
  const t = a.parseTokenResponse({ status: 200, body: bodyA });
  const token = { ...t, raw: t.raw };
  delete token.obtainedAt;
  delete token.expiresAt;
  return { code: token };
};
const parts = () => { const t = a.parseTokenResponse({ status: 200, body: bodyA }); return { code: [t.accessToken, t.refreshToken, t.scopes] }; };
${fields ? "parts();" : ""}
let armed = false;
${hook}
armed = true;
const outer = answer(${fields ? "parts" : "whole"});
armed = false;
${restore}
let free = "freed";
try { a.free(); } catch (e) { free = e.message; }
console.log(JSON.stringify({ outer, inner, free }));
`;

/** A child's source (see `child`), page build: user A's start while `hook` (installed after the import;
 * `beforeImport` runs before it) calls `reenter()`, user B's start, once, while `armed`; `restore` undoes it. Then a
 * callback of each client. Check the printed result with `assertPageFlowsIntact`. Reviews 108 A, 109 B. */
export const pageStartReentry = ({ beforeImport = "", hook = "", restore = "" }) => `
${beforeImport}
const { OAuthClient } = await import(pkg + "page-node.js");
const make = (id, uri) => new OAuthClient({ provider: "billit", clientId: id, redirectUri: uri });
const a = make("client-a", redirectUri), b = make("client-b", "https://b.example/cb");
const summary = (f) => ({ url: f.url.startsWith("https://my.billit.be/") && f.url.includes("client_id=client-a"), state: /^[A-Za-z0-9_-]{20,}$/.test(f.state), pending: f.pending.startsWith("p2.") });
let inner = null, armed = false;
const reenter = () => {
  if (!armed || inner !== null) return;
  inner = "running";
  inner = answer(() => ({ code: b.startAuthorization({}).url.includes("client_id=client-b") }));
};
${hook}
armed = true;
let outer;
try { outer = summary(a.startAuthorization({})); } catch (e) { outer = e?.code ?? e?.constructor?.name + ": " + e?.message; }
armed = false;
${restore}
const callbacks = [a, b].map((c, i) => answer(() => {
  const f = c.startAuthorization({});
  return c.parseCallback((i ? "https://b.example/cb" : redirectUri) + "?code=code-" + i + "&state=" + f.state, f.pending);
}));
console.log(JSON.stringify({ outer, inner, callbacks }));
`;

/** `pageStartReentry`'s result: A's flow and both clients' callbacks intact, whether or not the hook ran (a fix may
 * keep it from running: inner null). */
export function assertPageFlowsIntact(result) {
  assert.ok(result.inner === null || result.inner === true, `inner: ${result.inner}`);
  assert.deepEqual(
    { outer: result.outer, callbacks: result.callbacks },
    { outer: { url: true, state: true, pending: true }, callbacks: ["code-0", "code-1"] },
  );
}

// A child's code that runs `op` at every depth near the JS stack's limit, `rounds` times (`near(op, rounds)`; `caught`
// counts the RangeErrors): a few hundred overflows inside the wasm each (tests/pkg/unwind*.test.mjs).
export const overflows = `
let caught = 0;
const near = (op, rounds) => {
  for (let round = 0; round < rounds; round++) {
    const deep = () => { try { deep(); } catch {} try { op(); } catch (e) { if (e instanceof RangeError) caught++; } };
    deep();
  }
};
`;

// A child's code that catches each instance's own exports as the glue makes it (`made`): its memory, its stack pointer.
export const instances = `
const Instance = WebAssembly.Instance, made = [];
WebAssembly.Instance = new Proxy(Instance, { construct(target, args, newTarget) { const i = Reflect.construct(target, args, newTarget); made.push(i.exports); return i; } });`;
