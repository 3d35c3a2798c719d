// Review 114 (outside reviewer on the twentieth session's second round, 6f217d9..7cb26c3: the page build's client
// keeps `authorize` alone (`ClientEndpoints`) and no client secret, `Endpoints::resolve` roots by position, a
// `Message` is its `&'static str`, an `Error` keeps its code's index (`ErrorCode::at`), `fill` over a slice
// pattern, raw.rs' `failed` sends the index). No behaviour change confirmed: ~0.96 M operations of both builds
// compared with 6f217d9's package gave no difference in code, message, field, URL or request byte. No finding, so
// no test here fails on the current code: these pin what held, with the expected values read from 6f217d9's package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { child } from "./region.mjs";

// Held (and better than 6f217d9, where the page client kept its copy until free()): the page build checks a
// clientSecret and keeps none in the module's memory; a state key stays while the client lives, and neither is
// readable after free() or after a refused construction.
test("review114 (held): the page build leaves no client secret in wasm memory; the state key only while the client lives", () => {
  const result = child(`
const { readFileSync } = await import("node:fs");
const m = await import(pkg + "page/partner_oauth.js");
const w = m.initSync({ module: readFileSync(new URL("page/partner_oauth_bg.wasm", pkg)) });
const count = (s) => { const b = Buffer.from(w.memory.buffer), n = Buffer.from(s); let c = 0, at = 0; while ((at = b.indexOf(n, at)) >= 0) { c++; at++; } return c; };
const SEC = "s3cr3t-MARK-0123456789abcdef", KEY = "K3Y-MARK-" + "q".repeat(32);
const out = {};
const c = new m.OAuthClient({ provider: "payfit", clientId: "c", redirectUri, clientSecret: SEC, stateKey: KEY });
out.ctor = [count(SEC), count(KEY)];
const s = c.startAuthorization({ payload: "p" });
c.parseCallback(redirectUri + "?code=C0DE-MARK-xyz&state=" + s.state, s.pending);
out.flow = [count(SEC), count(KEY), count("C0DE-MARK-xyz")];
for (const bad of [{ redirectUri: "nope" }, { endpoints: { token: "nope" } }, { clientId: "" }, { stateKey: "short" }, { environment: "nope" }])
  try { new m.OAuthClient({ provider: "payfit", clientId: "c", redirectUri, clientSecret: SEC + "2", ...bad }); } catch {}
out.refused = count(SEC + "2");
c.free();
out.freed = [count(SEC), count(KEY)];
console.log(JSON.stringify(out));
`);
  assert.deepEqual(result, { ctor: [0, 1], flow: [0, 1, 0], refused: 0, freed: [0, 0] });
});

// Held: the page build still checks all five endpoint URLs, in the same order and with the same refusal as the full
// build (the first bad one named), and roots the authorize URL as before.
test("review114 (held): every endpoint is checked in order in both builds; authorize gets the root path", () => {
  const result = child(`
const eps = ["authorize", "token", "introspect", "revoke", "api"];
const out = {};
for (const e of ["page-node.js", "node.js"]) {
  const m = await import(pkg + e);
  const seen = [];
  for (let mask = 1; mask < 32; mask++) seen.push((() => { try { new m.OAuthClient({ provider: "custom", clientId: "c", redirectUri, clientSecret: "s", endpoints: Object.fromEntries(eps.map((k, i) => [k, mask & (1 << i) ? "http://as.example/" + k : "https://as.example"])) }); return "accepted"; } catch (x) { return x.code + ": " + x.message; } })());
  const messages = [];
  for (const k of eps) try { new m.OAuthClient({ provider: "billit", clientId: "c", redirectUri, endpoints: { [k]: "https://u:p@as.example/" } }); messages.push("accepted"); } catch (x) { messages.push(x.code + ": " + x.message); }
  const roots = ["https://as.example", "https://as.example?x=1", "http://127.0.0.1:8"].map((a) => new m.OAuthClient({ provider: "custom", clientId: "c", redirectUri, endpoints: { authorize: a, api: a } }).startAuthorization({}).url.split("&client_id")[0]);
  out[e] = { order: seen, messages, roots };
}
console.log(JSON.stringify(out));
`);
  const expected = {
    // Each of the 31 combinations of bad slots names the first in authorize, token, introspect, revoke, api order.
    order: Array.from({ length: 31 }, (_, i) => ["authorize", "token", "introspect", "revoke", "api"][Math.log2((i + 1) & -(i + 1))]).map((k) => `invalid_config: endpoints.${k} must use https (http is allowed only on a loopback host)`),
    messages: ["authorize", "token", "introspect", "revoke", "api"].map((k) => `invalid_config: endpoints.${k} must not contain user:password@`),
    roots: ["https://as.example/?response_type=code", "https://as.example?x=1&response_type=code", "http://127.0.0.1:8/?response_type=code"],
  };
  assert.deepEqual(result["page-node.js"], expected);
  assert.deepEqual(result["node.js"], expected);
});

// Held: messages with several parts (the slice-pattern `fill`, a missing last part included) and their codes (the
// index an Error keeps, sent by the page's `failed`) read as at 6f217d9, in both builds.
test("review114 (held): multi-part messages and their codes are unchanged in both builds", () => {
  const result = child(`
const out = {};
for (const e of ["page-node.js", "node.js"]) {
  const m = await import(pkg + e);
  const a = (f) => { try { f(); return "no error"; } catch (x) { return x.code + ": " + x.message; } };
  const k = new m.OAuthClient({ provider: "payfit", clientId: "c", redirectUri, stateKey: "k".repeat(32), stateMaxAge: 1 });
  const k2 = new m.OAuthClient({ provider: "payfit", clientId: "c", redirectUri, stateKey: "k".repeat(32), stateMaxAge: 2 });
  const s = k.startAuthorization({ payload: "p" }), s2 = k2.startAuthorization({ payload: "p" });
  const now = Date.now;
  const later = (f) => () => { Date.now = () => now() + 5000; try { f(); } finally { Date.now = now; } };
  out[e] = [
    a(later(() => k.parseCallback(redirectUri + "?code=a&state=" + s.state, s.pending))),
    a(later(() => k2.parseCallback(redirectUri + "?code=a&state=" + s2.state, s2.pending))),
    a(() => new m.OAuthClient({ provider: "billit", clientId: "c", redirectUri, stateKey: "k".repeat(32) }).parseCallback(redirectUri + "?code=a&state=" + s.state, s.pending)),
    a(() => new m.OAuthClient({ provider: "billit", environment: "nope", clientId: "c" })),
    a(() => new m.OAuthClient({ provider: "custom", environment: "default", clientId: "c", redirectUri }).startAuthorization()),
    a(() => new m.OAuthClient({ provider: "payfit", clientId: "c", redirectUri, preset: { grants: ["refresh_token"] } }).startAuthorization()),
    a(() => new m.OAuthClient({ provider: "billit", clientId: "c", redirectUri: redirectUri + "?x=1" })),
    a(() => new m.OAuthClient({ provider: "payfit", clientId: "c", redirectUri, preset: { authorizeParams: { state: "x" } } })),
    a(() => k.parseCallback(redirectUri, 1)),
    a(() => new m.OAuthClient({ provider: "billit", clientId: "c", redirectUri, clientSecret: "" })),
  ];
}
console.log(JSON.stringify(out));
`);
  const expected = [
    "state_expired: the authorization flow is older than 1 second",
    "state_expired: the authorization flow is older than 2 seconds",
    "provider_mismatch: the pending value belongs to another provider, environment or client, not billit (production)",
    "unknown_environment: billit environments are: production, sandbox",
    "missing_endpoint: no source documents the authorize endpoint of custom (default): pass endpoints.authorize",
    "unsupported_grant: payfit does not support the authorization code grant",
    "invalid_redirect_uri: billit does not allow query parameters in redirectUri: carry them in the state payload",
    "invalid_config: preset.authorizeParams.state is already sent (by the library, a token kind or another of its names) and cannot be repeated",
    "invalid_argument: the pending value must be a string",
    "invalid_config: clientSecret is empty",
  ];
  assert.deepEqual(result["page-node.js"], expected);
  assert.deepEqual(result["node.js"], expected);
});

// Held: the full build's requests with the client secret (Basic and in the body) and its rooted endpoints, byte for
// byte as 6f217d9's package sends them.
test("review114 (held): the full build's token requests and client authentication are byte-identical to 6f217d9's", () => {
  const result = child(`
const m = await import(pkg + "node.js");
const all = ["authorization_code", "refresh_token", "client_credentials", "introspection", "revocation"];
const basic = new m.OAuthClient({ provider: "custom", clientId: "c:1 é", clientSecret: "s3cr3t:é+%/=", redirectUri, endpoints: { authorize: "https://as.example", token: "https://as.example" }, preset: { clientAuth: "basic", grants: all } });
const body = new m.OAuthClient({ provider: "custom", clientId: "c", clientSecret: "s3cr3t&x=y", redirectUri, endpoints: { authorize: "https://as.example/a", token: "https://as.example/t" }, preset: { clientAuth: "body", pkce: "unsupported" } });
const code = basic.codeRequest("CODE-1", basic.startAuthorization({}).pending, { skipStateCheck: true });
const seen = [];
const f = new m.OAuthClient({ provider: "custom", clientId: "c", clientSecret: "s3cr3t", redirectUri, endpoints: { authorize: "https://as.example", token: "https://as.example", introspect: "https://as.example", revoke: "https://as.example", api: "https://as.example" }, preset: { clientAuth: "basic", grants: all },
  fetch: async (url, init) => { seen.push([String(url), init.method ?? null, init.headers.Authorization ?? null, init.body ?? null]); return new Response('{"access_token":"A","token_type":"Bearer","active":true}', { status: 200 }); } });
await f.clientCredentials(); await f.introspect("AT"); await f.revoke("AT"); await f.fetchApi("AT", "/v1/x");
console.log(JSON.stringify({ refresh: basic.refreshRequest("RT-1"), code: { ...code, body: code.body.replace(/code_verifier=[^&]+/, "code_verifier=V") }, body: body.refreshRequest("RT-2"), seen }));
`);
  const form = { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" };
  const auth = "Basic YyUzQTErJUMzJUE5OnMzY3IzdCUzQSVDMyVBOSUyQiUyNSUyRiUzRA==";
  assert.deepEqual(result, {
    refresh: { method: "POST", url: "https://as.example/", headers: { Authorization: auth, ...form }, body: "grant_type=refresh_token&refresh_token=RT-1" },
    code: { method: "POST", url: "https://as.example/", headers: { Authorization: auth, ...form }, body: "grant_type=authorization_code&code=CODE-1&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&code_verifier=V" },
    body: { method: "POST", url: "https://as.example/t", headers: form, body: "grant_type=refresh_token&refresh_token=RT-2&client_id=c&client_secret=s3cr3t%26x%3Dy" },
    seen: [
      ["https://as.example/", "POST", "Basic YzpzM2NyM3Q=", "grant_type=client_credentials"],
      ["https://as.example/", "POST", "Basic YzpzM2NyM3Q=", "token=AT&token_type_hint=access_token"],
      ["https://as.example/", "POST", "Basic YzpzM2NyM3Q=", "token=AT"],
      ["https://as.example/v1/x", null, null, null],
    ],
  });
});
