// Every grant of every provider, end to end in Node: the built package, real
// fetch, the local sandbox. Every error raised here is collected and, at the
// end, scanned for every secret the run saw (raw, percent-, base64-encoded).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { oauth, startSandbox, sandboxClients, sandboxClient, consent, rejectsWith, REDIRECT } from "./helpers.mjs";
import { FIELD, pendingFields } from "../support/pending.mjs";

let sandbox;
const seenSecrets = new Set(["dangerous-marker-secret-91f2"]);
const seenErrors = [];
before(async () => { sandbox = await startSandbox({ redirectUris: [REDIRECT] }); });
after(() => sandbox.close());

const client = (provider, extra) => sandboxClient(sandbox, provider, extra);
const remember = (...values) => values.filter(Boolean).forEach((v) => seenSecrets.add(v));
const rejects = async (promise, code, check) => seenErrors.push(await rejectsWith(promise, code, check));
const advanceSandboxClock = (advance) => fetch(`${sandbox.url}/_sandbox/clock`, { method: "POST", body: JSON.stringify({ advance }) });

/** start → consent → callback → exchange, returning the token and callback. */
async function connect(c, start = {}, decision = "approve") {
  const { url, pending } = c.startAuthorization(start);
  const back = await consent(url, decision);
  const callback = c.parseCallback(back, pending);
  const verifier = pendingFields(pending).fields[FIELD.verifier];
  const token = await c.exchangeCode(callback, pending);
  remember(callback.code, verifier, token.accessToken, token.refreshToken);
  return { token, callback };
}

const near = (ms, seconds) => Math.abs(ms - (Date.now() + seconds * 1000)) < 5000;

test("payfit: code → never-expiring token → introspection gives company_id → API", async () => {
  const c = client("payfit");
  const { token } = await connect(c, { scopes: ["contracts:read", "collaborators:read"] });
  assert.equal(token.tokenType, "Bearer");
  assert.equal(token.neverExpires, true);
  assert.equal(token.expiresAt, null);
  assert.equal(token.refreshToken, null);
  const info = await c.introspect(token);
  assert.equal(info.active, true);
  assert.deepEqual(info.scopes, ["contracts:read", "collaborators:read"]);
  assert.match(info.companyId, /^co_/);
  const response = await c.fetchApi(token, `/companies/${info.companyId}`);
  assert.equal((await response.json()).id, info.companyId);
  assert.equal(c.isExpired(token), false);
});

test("payout: code with PKCE (callback says authorization_code) → refresh rotates → client credentials", async () => {
  const c = client("payout");
  const { token } = await connect(c, { scopes: ["VERIFY"] });
  assert.ok(near(token.expiresAt, 3600));
  const refreshed = await c.refresh(token);
  remember(refreshed.accessToken, refreshed.refreshToken);
  assert.notEqual(refreshed.accessToken, token.accessToken);
  assert.notEqual(refreshed.refreshToken, token.refreshToken);
  const machine = await c.clientCredentials({ scopes: ["VERIFY"] });
  remember(machine.accessToken);
  assert.equal(machine.refreshToken, null);
  await rejects(c.refresh(token), "invalid_grant"); // rotated away
});

test("factorial: a company token never expires; a user token refreshes, revokes, and the API then refuses it", async () => {
  const c = client("factorial");
  const { token: company } = await connect(c, { tokenKind: "company" });
  assert.equal(company.neverExpires, true);
  assert.equal(company.extra.scope, undefined); // scope is parsed, not extra
  assert.equal(typeof company.extra.created_at, "number");
  const { token: user } = await connect(c, { tokenKind: "user" });
  assert.ok(near(user.expiresAt, 7200));
  assert.deepEqual(user.scopes, ["read", "write"]);
  const refreshed = await c.refresh(user);
  remember(refreshed.accessToken, refreshed.refreshToken);
  const employees = await c.fetchApi(refreshed, "/api/v1/employees");
  assert.equal(employees.status, 200);
  await c.revoke(refreshed.accessToken, { hint: "access_token" });
  await rejects(c.fetchApi(refreshed, "/api/v1/employees"), "invalid_token", (e) => assert.equal(e.status, 401));
});

test("factorial: the guide's query-string token request, when asked for", async () => {
  const c = client("factorial", { preset: { tokenBody: "query" } });
  const { token } = await connect(c, { tokenKind: "user" });
  assert.ok(token.accessToken);
});

test("tropipay: client credentials and code + PKCE; expiry from the JWT's exp, not the epoch expires_in", async () => {
  const c = client("tropipay");
  const machine = await c.clientCredentials({ scopes: ["ALLOW_GET_BALANCE"] });
  remember(machine.accessToken);
  assert.equal(machine.accessToken.split(".").length, 3);
  const exp = JSON.parse(Buffer.from(machine.accessToken.split(".")[1], "base64url")).exp;
  assert.equal(machine.expiresAt, exp * 1000);
  const { token } = await connect(c, { scopes: ["ALLOW_GET_PROFILE_DATA"] });
  const refreshed = await c.refresh(token);
  remember(refreshed.accessToken, refreshed.refreshToken);
  assert.equal((await c.fetchApi(refreshed, "/api/v2/users/profile")).status, 200);
});

test("billit: identifiers ride in state; refresh; an expired token is token_expired until refreshed", async () => {
  const c = client("billit", { stateKey: "billit-state-key-of-at-least-32-bytes" });
  const { token, callback } = await connect(c, { payload: "user=42&company=7" });
  assert.equal(callback.payload, "user=42&company=7");
  assert.ok(near(token.expiresAt, 3600));
  assert.equal((await c.fetchApi(token, "/v1/orders")).status, 200);
  await advanceSandboxClock(3601);
  await rejects(c.fetchApi(token, "/v1/orders"), "token_expired", (e) => assert.equal(e.providerCode, "AccessTokenExpired"));
  const refreshed = await c.refresh(token);
  remember(refreshed.accessToken, refreshed.refreshToken);
  assert.equal((await c.fetchApi(refreshed, "/v1/orders")).status, 200);
});

test("denied consent is access_denied", async () => {
  const c = client("billit");
  const { url, pending } = c.startAuthorization();
  const back = await consent(url, "deny");
  assert.throws(() => c.parseCallback(back, pending), (e) => { seenErrors.push(e); return e.code === "access_denied"; });
});

test("a reused code is invalid_grant: exchanges are never retried", async () => {
  const c = client("billit");
  const { url, pending } = c.startAuthorization();
  const callback = c.parseCallback(await consent(url), pending);
  remember(callback.code, (await c.exchangeCode(callback, pending)).accessToken);
  await rejects(c.exchangeCode(callback, pending), "invalid_grant", (e) => assert.equal(e.status, 400));
});

test("a wrong client secret is invalid_client", async () => {
  const c = client("payout", { clientSecret: "dangerous-marker-secret-91f2" });
  await rejects(c.clientCredentials(), "invalid_client", (e) => assert.equal(e.providerCode, "invalid_client"));
});

test("billit: a refresh with another client fails", async () => {
  const { token } = await connect(client("billit"));
  await rejects(client("billit", { client: "other" }).refresh(token), "invalid_grant");
});

test("a fetch that never answers times out", async () => {
  const c = client("payout", { fetch: (_url, init) => new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(new Error("aborted")))), timeoutMs: 50 });
  await rejects(c.clientCredentials(), "timeout");
});

test("a connection refused is network_error", async () => {
  const c = client("payout", { endpoints: { token: "http://127.0.0.1:9/token" } });
  await rejects(c.clientCredentials(), "network_error");
});

test("an HTML 502 from a proxy is http_error with its status", async () => {
  const c = client("payout", { fetch: async () => new Response("<html>Bad Gateway</html>", { status: 502 }) });
  await rejects(c.clientCredentials(), "http_error", (e) => { assert.equal(e.status, 502); assert.match(e.bodyExcerpt, /Bad Gateway/); });
});

test("Payout's merchant API token at a token endpoint is invalid_response", async () => {
  const c = client("payout", { fetch: async () => Response.json({ token: "merchant-token-marker", valid_for: 6000 }) });
  remember("merchant-token-marker");
  await rejects(c.clientCredentials(), "invalid_response");
});

test("the client secret is refused in a page, not in Node", () => {
  assert.doesNotThrow(() => client("billit"));
});

test("no error raised in this file holds a secret, in any encoding", () => {
  assert.ok(seenErrors.length >= 10, `only ${seenErrors.length} errors collected`);
  for (const { main, other } of oauth.providers().map(({ name }) => sandboxClients(name))) {
    remember(main.clientSecret, other.clientSecret);
  }
  const forms = (s) => [s, encodeURIComponent(s), Buffer.from(s).toString("base64").replace(/=+$/, ""), Buffer.from(s).toString("base64url")];
  for (const error of seenErrors) {
    const printed = [error.message, error.providerMessage, error.bodyExcerpt, JSON.stringify(error), String(error), error.stack].join("\n");
    for (const secret of seenSecrets) {
      for (const form of forms(secret)) assert.ok(!printed.includes(form), `${error.code} leaks ${secret.slice(0, 6)}…`);
    }
  }
});

test("custom: HTTP Basic, code + PKCE, iss checked (RFC 9207), refresh, introspection (RFC 7662), revocation (RFC 7009)", async () => {
  const c = client("custom", { preset: { issuer: sandbox.issuer("custom") } });
  const { token, callback } = await connect(c, { scopes: ["openid", "profile"] });
  assert.equal(callback.iss, sandbox.issuer("custom"));
  assert.deepEqual(token.scopes, ["openid", "profile"]);
  const info = await c.introspect(token);
  assert.equal(info.active, true);
  assert.equal(info.clientId, "custom-client");
  const refreshed = await c.refresh(token);
  remember(refreshed.accessToken, refreshed.refreshToken);
  await c.revoke(refreshed.accessToken, { hint: "access_token" });
  assert.equal((await c.introspect(refreshed)).active, false);
  const machine = await c.clientCredentials();
  remember(machine.accessToken);
  assert.equal((await c.fetchApi(machine, "/me")).status, 200);
});

test("custom: an iss from another server is issuer_mismatch", async () => {
  const c = client("custom", { preset: { issuer: "https://other-issuer.example.com" } });
  const { url, pending } = c.startAuthorization();
  const back = await consent(url);
  assert.throws(() => c.parseCallback(back, pending), (e) => { seenErrors.push(e); return e.code === "issuer_mismatch"; });
});

test("custom: a public client (no secret) exchanges with PKCE", async () => {
  const c = client("custom", { client: "public" });
  const { token } = await connect(c);
  assert.ok(token.refreshToken);
  await rejects(c.clientCredentials(), "invalid_config"); // no secret, no client credentials
});
