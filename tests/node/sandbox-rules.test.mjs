// Every rejection rule of the sandbox, each with a raw request a real
// provider would refuse. A sandbox that accepted everything fails here.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { startSandbox, sandboxClients, consent, REDIRECT } from "./helpers.mjs";
import { providers } from "../../www/sandbox/providers.mjs";

let sandbox;
before(async () => { sandbox = await startSandbox({ redirectUris: [REDIRECT] }); });
after(() => sandbox.close());

const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/** Drives authorize + consent by hand and returns the code. */
async function code(provider, extra = {}, client = "main") {
  const url = new URL(sandbox.endpoints(provider).authorize);
  // Billit's authorize URL carries no response_type; PayFit's needs a scope of its list.
  const needs = providers[provider].noResponseType ? {} : { response_type: "code", scope: providers[provider].scopes?.[0] };
  const params = { ...needs, client_id: sandboxClients(provider)[client].clientId, redirect_uri: REDIRECT, state: "s1", ...extra };
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  const back = new URL(await consent(url.toString()));
  return back.searchParams.get("code") ?? back.searchParams.get("authorization_code");
}

function post(provider, params, encoding, path = "token") {
  const url = new URL(sandbox.endpoints(provider)[path]);
  const init = { method: "POST", headers: {} };
  if (encoding === "json") { init.headers["content-type"] = "application/json"; init.body = JSON.stringify(params); }
  if (encoding === "form") { init.headers["content-type"] = "application/x-www-form-urlencoded"; init.body = new URLSearchParams(params).toString(); }
  if (encoding === "query") for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return fetch(url, init);
}

const creds = (provider, client = "main") => {
  const c = sandboxClients(provider)[client];
  return { client_id: c.clientId, client_secret: c.clientSecret };
};

async function expectError(response, status, error) {
  assert.equal(response.status, status);
  assert.equal((await response.json()).error, error);
}

for (const [provider, wrong, right] of [["billit", "form", "json"], ["payout", "form", "json"], ["tropipay", "form", "json"], ["payfit", "json", "form"]]) {
  test(`${provider}: a ${wrong} token body is refused, ${right} accepted`, async () => {
    const extra = provider === "tropipay" || provider === "payout" ? { code_challenge: challenge, code_challenge_method: "S256" } : {};
    const params = (c) => ({ grant_type: "authorization_code", code: c, redirect_uri: REDIRECT, ...(extra.code_challenge && { code_verifier: verifier }), ...creds(provider) });
    await expectError(await post(provider, params(await code(provider, extra)), wrong), 400, "invalid_request");
    assert.equal((await post(provider, params(await code(provider, extra)), right)).status, 200);
  });
}

test("factorial: form and the guide's query string are accepted, JSON refused", async () => {
  const params = async () => ({ grant_type: "authorization_code", code: await code("factorial"), redirect_uri: REDIRECT, ...creds("factorial") });
  assert.equal((await post("factorial", await params(), "form")).status, 200);
  assert.equal((await post("factorial", await params(), "query")).status, 200);
  await expectError(await post("factorial", await params(), "json"), 400, "invalid_request");
});

test("a wrong client secret is invalid_client", async () => {
  const params = { grant_type: "refresh_token", refresh_token: "x", client_id: "billit-client", client_secret: "wrong" };
  await expectError(await post("billit", params, "json"), 401, "invalid_client");
});

test("tropipay: authorize without a code_challenge is refused", async () => {
  const url = new URL(sandbox.endpoints("tropipay").authorize);
  Object.entries({ response_type: "code", client_id: "tropipay-client", redirect_uri: REDIRECT, state: "s" }).forEach(([k, v]) => url.searchParams.set(k, v));
  const back = new URL((await fetch(url, { redirect: "manual" })).headers.get("location"));
  assert.equal(back.searchParams.get("error"), "invalid_request");
});

test("a missing PKCE verifier is invalid_grant", async () => {
  const c = await code("tropipay", { code_challenge: challenge, code_challenge_method: "S256" });
  await expectError(await post("tropipay", { grant_type: "authorization_code", code: c, redirect_uri: REDIRECT, ...creds("tropipay") }, "json"), 400, "invalid_grant");
});

test("a wrong PKCE verifier is invalid_grant and leaves the code usable (as oidc-provider)", async () => {
  const c = await code("payout", { code_challenge: challenge, code_challenge_method: "S256" });
  const wrong = crypto.randomBytes(32).toString("base64url");
  const params = (v) => ({ grant_type: "authorization_code", code: c, redirect_uri: REDIRECT, code_verifier: v, ...creds("payout") });
  await expectError(await post("payout", params(wrong), "json"), 400, "invalid_grant");
  assert.equal((await post("payout", params(verifier), "json")).status, 200);
});

test("a reused code is invalid_grant and revokes what it issued", async () => {
  const c = await code("billit");
  const params = { grant_type: "authorization_code", code: c, redirect_uri: REDIRECT, ...creds("billit") };
  const first = await (await post("billit", params, "json")).json();
  await expectError(await post("billit", params, "json"), 400, "invalid_grant");
  const api = await fetch(`${sandbox.endpoints("billit").api}/v1/orders`, { headers: { authorization: `Bearer ${first.access_token}` } });
  assert.equal(api.status, 401);
  assert.equal((await api.json()).errors[0].Code, "AccessTokenRevoked");
});

test("a reused code also revokes tokens refreshed since (the grant, as oidc-provider)", async () => {
  const c = await code("custom");
  const params = { grant_type: "authorization_code", code: c, redirect_uri: REDIRECT, ...creds("custom") };
  const first = await (await post("custom", params, "form")).json();
  const refreshed = await (await post("custom", { grant_type: "refresh_token", refresh_token: first.refresh_token, ...creds("custom") }, "form")).json();
  await expectError(await post("custom", params, "form"), 400, "invalid_grant");
  await expectError(await post("custom", { grant_type: "refresh_token", refresh_token: refreshed.refresh_token, ...creds("custom") }, "form"), 400, "invalid_grant");
});

test("a redirect_uri that differs from the authorize request is invalid_grant", async () => {
  const c = await code("factorial");
  await expectError(await post("factorial", { grant_type: "authorization_code", code: c, redirect_uri: "https://app.example.com/oauth/callback", ...creds("factorial") }, "form"), 400, "invalid_grant");
});

test("a code issued to another client is invalid_grant", async () => {
  const c = await code("billit", {}, "other");
  await expectError(await post("billit", { grant_type: "authorization_code", code: c, redirect_uri: REDIRECT, ...creds("billit") }, "json"), 400, "invalid_grant");
});

test("an expired code is invalid_grant", async () => {
  const c = await code("billit");
  await fetch(`${sandbox.url}/_sandbox/clock`, { method: "POST", body: JSON.stringify({ advance: 61 }) });
  await expectError(await post("billit", { grant_type: "authorization_code", code: c, redirect_uri: REDIRECT, ...creds("billit") }, "json"), 400, "invalid_grant");
});

test("billit: refreshing with another client fails", async () => {
  const c = await code("billit");
  const token = await (await post("billit", { grant_type: "authorization_code", code: c, redirect_uri: REDIRECT, ...creds("billit") }, "json")).json();
  await expectError(await post("billit", { grant_type: "refresh_token", refresh_token: token.refresh_token, ...creds("billit", "other") }, "json"), 400, "invalid_grant");
});

test("a rotated-away refresh token is invalid_grant", async () => {
  const c = await code("factorial", { resource_owner_type: undefined });
  const token = await (await post("factorial", { grant_type: "authorization_code", code: c, redirect_uri: REDIRECT, ...creds("factorial") }, "form")).json();
  const refresh = { grant_type: "refresh_token", refresh_token: token.refresh_token, ...creds("factorial") };
  const rotated = await (await post("factorial", refresh, "form")).json();
  assert.notEqual(rotated.refresh_token, token.refresh_token);
  await expectError(await post("factorial", refresh, "form"), 400, "invalid_grant");
  // Reuse detection (RFC 9700 §4.14.2, as oidc-provider): the new one is gone too.
  await expectError(await post("factorial", { ...refresh, refresh_token: rotated.refresh_token }, "form"), 400, "invalid_grant");
});

test("custom: revoking an access token ends its grant's refresh token (as oidc-provider)", async () => {
  const c = await code("custom");
  const token = await (await post("custom", { grant_type: "authorization_code", code: c, redirect_uri: REDIRECT, ...creds("custom") }, "form")).json();
  assert.equal((await post("custom", { token: token.access_token, ...creds("custom") }, "form", "revoke")).status, 200);
  await expectError(await post("custom", { grant_type: "refresh_token", refresh_token: token.refresh_token, ...creds("custom") }, "form"), 400, "invalid_grant");
});

test("custom: a denial carries iss too (RFC 9207)", async () => {
  const url = new URL(sandbox.endpoints("custom").authorize);
  Object.entries({ response_type: "code", client_id: "custom-client", redirect_uri: REDIRECT, state: "s" }).forEach(([k, v]) => url.searchParams.set(k, v));
  const back = new URL(await consent(url.toString(), "deny"));
  assert.equal(back.searchParams.get("error"), "access_denied");
  assert.equal(back.searchParams.get("iss"), sandbox.issuer("custom"));
});

// RFC 6749 §4.1.2.1: "state: REQUIRED if a state parameter was present in the client authorization request".
for (const provider of Object.keys(providers)) {
  test(`${provider}: a denial carries the request's state (RFC 6749 §4.1.2.1), unless its guide says otherwise`, async () => {
    const url = new URL(sandbox.endpoints(provider).authorize);
    const pkce = providers[provider].pkce === "required" ? { code_challenge: challenge, code_challenge_method: "S256" } : {};
    const needs = providers[provider].noResponseType ? {} : { response_type: "code", scope: providers[provider].scopes?.[0] };
    const params = { ...needs, client_id: sandboxClients(provider).main.clientId, redirect_uri: REDIRECT, state: "the-state", ...pkce };
    Object.entries(params).forEach(([k, v]) => v !== undefined && url.searchParams.set(k, v));
    const back = new URL(await consent(url.toString(), "deny"));
    assert.equal(back.searchParams.get("error"), "access_denied");
    // Billit's guide names no state on a denial: the sandbox keeps to it, so the library copes.
    assert.equal(back.searchParams.get("state"), providers[provider].denialKeepsState === false ? null : "the-state");
  });
}

test("payfit: no refresh grant", async () => {
  await expectError(await post("payfit", { grant_type: "refresh_token", refresh_token: "x", ...creds("payfit") }, "form"), 400, "unsupported_grant_type");
});

test("payfit: introspection without the Bearer header is refused", async () => {
  const response = await fetch(sandbox.endpoints("payfit").introspect, { method: "POST", headers: { "content-type": "application/json" }, body: '{"token":"x"}' });
  await expectError(response, 401, "invalid_token");
});

test("billit: authorize without client_id is an Invalid OAuth2 request", async () => {
  const response = await fetch(`${sandbox.endpoints("billit").authorize}?redirect_uri=${encodeURIComponent(REDIRECT)}`, { redirect: "manual" });
  assert.equal(response.status, 400);
  assert.match(await response.text(), /Invalid OAuth2 request/);
});

test("billit: own query parameters in redirect_uri are refused", async () => {
  const response = await fetch(`${sandbox.endpoints("billit").authorize}?client_id=billit-client&redirect_uri=${encodeURIComponent(REDIRECT + "?user=1")}`, { redirect: "manual" });
  assert.equal(response.status, 400);
});

test("an unregistered redirect_uri gets an error page, never a redirect", async () => {
  const response = await fetch(`${sandbox.endpoints("payfit").authorize}?response_type=code&client_id=payfit-client&redirect_uri=${encodeURIComponent("https://evil.example.com/cb")}`, { redirect: "manual" });
  assert.equal(response.status, 400);
  assert.equal(response.headers.get("location"), null);
});

test("payout: the callback carries authorization_code, not code", async () => {
  const url = new URL(sandbox.endpoints("payout").authorize);
  Object.entries({ response_type: "code", client_id: "payout-client", redirect_uri: REDIRECT, state: "s" }).forEach(([k, v]) => url.searchParams.set(k, v));
  const back = new URL(await consent(url.toString()));
  assert.ok(back.searchParams.get("authorization_code"));
  assert.equal(back.searchParams.get("code"), null);
});

test("custom: a public client without PKCE is invalid_grant", async () => {
  const c = await code("custom", {}, "public");
  await expectError(await post("custom", { grant_type: "authorization_code", code: c, redirect_uri: REDIRECT, client_id: "custom-public" }, "form"), 400, "invalid_grant");
});

test("custom: HTTP Basic with a wrong secret is invalid_client", async () => {
  const response = await fetch(sandbox.endpoints("custom").token, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from("custom-client:wrong").toString("base64")}` },
    body: "grant_type=client_credentials",
  });
  // RFC 6749 §5.2: the scheme the client used comes back in WWW-Authenticate.
  assert.match(response.headers.get("www-authenticate") ?? "", /^Basic /);
  await expectError(response, 401, "invalid_client");
});

test("billit: HTTP Basic is not how Billit authenticates clients", async () => {
  const { client_id, client_secret } = creds("billit");
  const response = await fetch(sandbox.endpoints("billit").token, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString("base64")}` },
    body: JSON.stringify({ grant_type: "refresh_token", refresh_token: "x" }),
  });
  await expectError(response, 401, "invalid_client");
});
