// The packed package against oidc-provider in Node: every grant through the
// custom preset (and the TropiPay and Payout presets pointed at it), then the
// negative cases the server enforces, each a test of its own. Every error
// seen is finally scanned for every secret seen.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { OAuthClient, OAuthError } from "partner-oauth";
import { startProvider, consent, SECRETS, SCOPES } from "./provider.mjs";
import { FIELD, pendingFields, editPending } from "../support/pending.mjs";

// Never fetched: consent() stops when the server redirects here.
const REDIRECT = "http://127.0.0.1:9/callback";
const OTHER_REDIRECT = "http://127.0.0.1:9/other-callback";

let server, endpoints;
const seenSecrets = new Set(Object.values(SECRETS));
const seenErrors = [];

before(async () => {
  server = await startProvider({ redirectUris: [REDIRECT, OTHER_REDIRECT] });
  // Endpoints as the server publishes them (RFC 8414 / OpenID discovery).
  const discovery = await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json();
  endpoints = {
    authorize: discovery.authorization_endpoint,
    token: discovery.token_endpoint,
    introspect: discovery.introspection_endpoint,
    revoke: discovery.revocation_endpoint,
    api: server.issuer,
  };
});
after(() => server.close());

/** The custom preset for one of the server's clients. */
function client(clientId, { secret, preset = {}, ...rest } = {}) {
  return new OAuthClient({
    provider: "custom", clientId, clientSecret: secret, redirectUri: REDIRECT,
    endpoints, preset: { issuer: server.issuer, ...preset }, ...rest,
  });
}
const postClient = (extra = {}) => client("post-client", { secret: SECRETS.post, ...extra, preset: { clientAuth: "body", ...extra.preset } });
const basicClient = (extra = {}) => client("basic-client", { secret: SECRETS.basic, ...extra });

const remember = (...values) => values.filter(Boolean).forEach((v) => seenSecrets.add(v));

/** start → login and consent at the server → callback checked. */
async function authorize(c, start = { scopes: SCOPES }) {
  const { url, pending } = c.startAuthorization(start);
  const callback = c.parseCallback(await consent(url), pending);
  remember(callback.code, verifierOf(pending));
  return { callback, pending };
}

async function connect(c, start) {
  const { callback, pending } = await authorize(c, start);
  const token = await c.exchangeCode(callback, pending);
  remember(token.accessToken, token.refreshToken);
  return token;
}

/** Awaits a rejection and checks it is the typed error, server code kept. */
async function rejects(promise, code, providerCode, status) {
  const error = await promise.then(() => assert.fail(`accepted: expected ${code}`), (e) => e);
  seenErrors.push(error);
  assert.ok(error instanceof OAuthError, `not an OAuthError: ${error}`);
  assert.equal(error.code, code, error.message);
  assert.equal(error.providerCode, providerCode);
  if (status) assert.equal(error.status, status);
  return error;
}

const verifierOf = (pending) => pendingFields(pending).fields[FIELD.verifier];

test("discovery: the server sends iss on callbacks (RFC 9207) and takes S256 only", async () => {
  const discovery = await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json();
  assert.equal(discovery.issuer, server.issuer);
  assert.equal(discovery.authorization_response_iss_parameter_supported, true);
  assert.deepEqual(discovery.code_challenge_methods_supported, ["S256"]);
});

test("client_secret_post: code + PKCE S256 → token → introspection → rotated refresh → revocation", async () => {
  const c = postClient();
  const { callback, pending } = await authorize(c);
  assert.equal(callback.iss, server.issuer);
  const token = await c.exchangeCode(callback, pending);
  remember(token.accessToken, token.refreshToken);
  assert.equal(token.tokenType, "Bearer");
  assert.deepEqual(token.scopes, SCOPES);
  assert.ok(Math.abs(token.expiresAt - (Date.now() + 3600_000)) < 5000);
  assert.ok(token.refreshToken);

  const info = await c.introspect(token);
  assert.deepEqual({ active: info.active, clientId: info.clientId, sub: info.sub, scopes: info.scopes }, { active: true, clientId: "post-client", sub: "user-1", scopes: SCOPES });
  assert.equal(info.expiresAt, token.expiresAt);

  const refreshed = await c.refresh(token);
  remember(refreshed.accessToken, refreshed.refreshToken);
  assert.notEqual(refreshed.refreshToken, token.refreshToken, "rotated");
  assert.notEqual(refreshed.accessToken, token.accessToken);
  assert.equal((await c.introspect(refreshed)).active, true);

  await c.revoke(refreshed, { hint: "access_token" });
  assert.equal((await c.introspect(refreshed)).active, false);
});

test("client_secret_basic: the secret's reserved characters are form-encoded inside Basic (RFC 6749 §2.3.1)", async () => {
  const c = basicClient();
  const token = await connect(c);
  assert.equal((await c.introspect(token)).clientId, "basic-client");
  const refreshed = await c.refresh(token, { scopes: ["api:read"] });
  remember(refreshed.accessToken, refreshed.refreshToken);
  assert.deepEqual(refreshed.scopes, ["api:read"], "a refresh may narrow the scope");
});

test("a public client: code + PKCE without a secret, refresh tokens rotated", async () => {
  const c = client("public-client");
  const token = await connect(c);
  const refreshed = await c.refresh(token);
  remember(refreshed.accessToken, refreshed.refreshToken);
  assert.notEqual(refreshed.refreshToken, token.refreshToken);
  await rejects(c.refresh(token), "invalid_grant", "invalid_grant", 400);
});

test("client credentials (Basic): token, introspection, revocation", async () => {
  const c = client("machine-client", { secret: SECRETS.machine, redirectUri: undefined });
  const token = await c.clientCredentials({ scopes: SCOPES });
  remember(token.accessToken);
  assert.equal(token.refreshToken, null);
  assert.deepEqual(token.scopes, SCOPES);
  const info = await c.introspect(token);
  assert.equal(info.active, true);
  assert.equal(info.clientId, "machine-client");
  await c.revoke(token);
  assert.equal((await c.introspect(token)).active, false);
});

test("client credentials (client_secret_post)", async () => {
  const c = client("machine-post-client", { secret: SECRETS.machine, redirectUri: undefined, preset: { clientAuth: "body" } });
  const token = await c.clientCredentials({ scopes: ["api:read"] });
  remember(token.accessToken);
  assert.deepEqual(token.scopes, ["api:read"]);
});

test("a denied consent is access_denied with the server's description", async () => {
  const c = postClient();
  const { url, pending } = c.startAuthorization({ scopes: SCOPES });
  const back = await consent(url, { decision: "deny" });
  assert.throws(() => c.parseCallback(back, pending), (e) => {
    seenErrors.push(e);
    return e.code === "access_denied" && e.providerCode === "access_denied" && e.providerMessage === "End-User aborted interaction";
  });
});

// TropiPay and Payout send JSON token bodies, which this server (form only,
// as RFC 6749 §4.1.3 says) refuses; their presets run once told "form".
for (const provider of ["tropipay", "payout"]) {
  const preset = (extra = {}) => new OAuthClient({
    provider, clientId: "post-client", clientSecret: SECRETS.post, redirectUri: REDIRECT, endpoints, ...extra,
  });

  test(`${provider} preset: its JSON token body is refused by a form-only server, typed`, async () => {
    const c = preset();
    const { callback, pending } = await authorize(c);
    await rejects(c.exchangeCode(callback, pending), "token_error", "invalid_request", 400);
  });

  test(`${provider} preset with tokenBody "form": code + PKCE, refresh, client credentials`, async () => {
    const c = preset({ preset: { tokenBody: "form", issuer: server.issuer } });
    const token = await connect(c);
    assert.deepEqual(token.scopes, SCOPES);
    const refreshed = await c.refresh(token);
    remember(refreshed.accessToken, refreshed.refreshToken);
    assert.notEqual(refreshed.refreshToken, token.refreshToken);
    const machine = new OAuthClient({ provider, clientId: "machine-post-client", clientSecret: SECRETS.machine, endpoints, preset: { tokenBody: "form" } });
    const cc = await machine.clientCredentials({ scopes: ["api:read"] });
    remember(cc.accessToken);
    assert.ok(cc.accessToken);
  });
}

// Negative cases: each fails if the library accepted what the server refused.

test("a wrong PKCE verifier is invalid_grant (and, here, leaves the code usable)", async () => {
  const c = postClient();
  const { callback, pending } = await authorize(c);
  const wrong = editPending(pending, FIELD.verifier, "w".repeat(43));
  await rejects(c.exchangeCode(callback, wrong), "invalid_grant", "invalid_grant", 400);
  // oidc-provider checks before it consumes: the right verifier still works.
  remember((await c.exchangeCode(callback, pending)).accessToken);
});

test("a reused authorization code is invalid_grant, and the first tokens are revoked", async () => {
  const c = postClient();
  const { callback, pending } = await authorize(c);
  const token = await c.exchangeCode(callback, pending);
  remember(token.accessToken, token.refreshToken);
  await rejects(c.exchangeCode(callback, pending), "invalid_grant", "invalid_grant", 400);
  assert.equal((await c.introspect(token)).active, false, "RFC 6749 §4.1.2: revoke what the code issued");
  await rejects(c.refresh(token), "invalid_grant", "invalid_grant", 400);
});

test("a wrong client secret is invalid_client, 401 (post, Basic, client credentials)", async () => {
  const post = postClient();
  const { callback, pending } = await authorize(post);
  const wrongPost = postClient({ secret: "not-the-secret-000000" });
  await rejects(wrongPost.exchangeCode(callback, pending), "invalid_client", "invalid_client", 401);

  const basic = basicClient();
  const flow = await authorize(basic);
  await rejects(basicClient({ secret: SECRETS.post }).exchangeCode(flow.callback, flow.pending), "invalid_client", "invalid_client", 401);

  const machine = client("machine-client", { secret: `${SECRETS.machine}x`, redirectUri: undefined });
  await rejects(machine.clientCredentials(), "invalid_client", "invalid_client", 401);
});

test("a redirect_uri other than the authorize request's: refused before sending, and by the server as invalid_grant", async () => {
  const c = postClient();
  const { callback, pending } = await authorize(c);
  // A client configured with another one, registered but not this code's:
  // the library refuses the exchange before sending (cold review 58).
  const elsewhere = postClient({ redirectUri: OTHER_REDIRECT });
  await rejects(elsewhere.exchangeCode(callback, pending), "invalid_config", undefined);
  // The server's own rule, on the request edited by hand (what a client
  // without that check sent): the code, still unspent, is refused.
  const request = c.codeRequest(callback, pending);
  const body = new URLSearchParams(request.body);
  body.set("redirect_uri", OTHER_REDIRECT);
  const response = await fetch(request.url, { method: request.method, headers: request.headers, body: body.toString() });
  const answer = { status: response.status, body: await response.text() };
  assert.throws(() => c.parseTokenResponse(answer), (e) => e.code === "invalid_grant" && e.providerCode === "invalid_grant" && e.status === 400);
});

test("an unregistered redirect_uri: the server shows an error page and never comes back", async () => {
  const c = postClient({ redirectUri: "http://127.0.0.1:9/not-registered" });
  const { url } = c.startAuthorization({ scopes: SCOPES });
  await assert.rejects(consent(url), /no redirect from \/auth \(400\).*invalid_redirect_uri/);
});

test("refresh with a revoked refresh token is invalid_grant", async () => {
  const c = basicClient();
  const token = await connect(c);
  await c.revoke(token.refreshToken, { hint: "refresh_token" });
  await rejects(c.refresh(token), "invalid_grant", "invalid_grant", 400);
});

test("refresh with a rotated-away refresh token is invalid_grant, and revokes the new one too", async () => {
  const c = postClient();
  const token = await connect(c);
  const refreshed = await c.refresh(token);
  remember(refreshed.accessToken, refreshed.refreshToken);
  await rejects(c.refresh(token), "invalid_grant", "invalid_grant", 400);
  // Reuse detection (RFC 9700 §4.14.2): the whole grant is gone.
  await rejects(c.refresh(refreshed), "invalid_grant", "invalid_grant", 400);
  assert.equal((await c.introspect(refreshed)).active, false);
});

test("an iss that is not the configured issuer is issuer_mismatch (RFC 9207)", async () => {
  const c = postClient({ preset: { issuer: "https://issuer.example.com" } });
  const { url, pending } = c.startAuthorization({ scopes: SCOPES });
  const back = await consent(url);
  assert.equal(new URL(back).searchParams.get("iss"), server.issuer);
  assert.throws(() => c.parseCallback(back, pending), (e) => { seenErrors.push(e); return e.code === "issuer_mismatch"; });
});

test("a callback stripped of the server's iss is refused too (RFC 9207 §2.4)", async () => {
  const c = postClient();
  const { url, pending } = c.startAuthorization({ scopes: SCOPES });
  const back = new URL(await consent(url));
  back.searchParams.delete("iss");
  assert.throws(() => c.parseCallback(back.href, pending), (e) => { seenErrors.push(e); return e.code === "issuer_mismatch"; });
});

test("an expired authorization code is invalid_grant", async () => {
  const c = client("short-code-client", { secret: SECRETS.post, preset: { clientAuth: "body" } });
  const { callback, pending } = await authorize(c);
  await sleep(2100); // its codes live one second; the server counts whole seconds
  await rejects(c.exchangeCode(callback, pending), "invalid_grant", "invalid_grant", 400);
});

test("no error above prints a secret, a code, a verifier or a token", () => {
  assert.ok(seenErrors.length >= 15, `only ${seenErrors.length} errors collected`);
  const forms = (s) => [s, encodeURIComponent(s), Buffer.from(s).toString("base64").replace(/=+$/, ""), Buffer.from(s).toString("base64url")];
  for (const error of seenErrors) {
    const printed = [error.message, error.providerMessage, error.bodyExcerpt, JSON.stringify(error), String(error), error.stack].join("\n");
    for (const secret of seenSecrets) {
      for (const form of forms(secret)) assert.ok(!printed.includes(form), `${error.code} prints ${secret.slice(0, 6)}…`);
    }
  }
});
