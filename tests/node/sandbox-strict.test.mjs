// Review 71: where the sandbox was more lenient than a guide (or, where the
// guide is silent, than the RFCs), so that a library mistake would pass here
// and fail at the provider. Each test sends the raw request the reviewer
// confirmed was accepted.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSandbox, sandboxClients, consent, REDIRECT } from "./helpers.mjs";

let sandbox;
before(async () => { sandbox = await startSandbox({ redirectUris: [REDIRECT] }); });
after(() => sandbox.close());

const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const PKCE = { code_challenge: challenge, code_challenge_method: "S256" };
/** What each provider's authorize request needs besides the client and redirect. */
const NEEDS = { billit: {}, payfit: { response_type: "code", scope: "contracts:read" } };
const needs = (provider) => NEEDS[provider] ?? { response_type: "code" };

function authorizeUrl(provider, params) {
  const url = new URL(sandbox.endpoints(provider).authorize);
  // `state` last, as the library sends it: Billit drops unlisted names after it (a state's tail).
  const all = { client_id: sandboxClients(provider).main.clientId, redirect_uri: REDIRECT, ...needs(provider), ...params };
  if (!Object.hasOwn(params, "state")) all.state = "s1";
  for (const [k, v] of Object.entries(all)) if (v !== undefined) url.searchParams.append(k, v);
  return url;
}

/** The redirect back (after pressing Approve), as a URL. */
const back = async (provider, params = {}) => new URL(await consent(authorizeUrl(provider, params).toString()));
const codeOf = (url) => url.searchParams.get("code") ?? url.searchParams.get("authorization_code");

function post(provider, params, encoding, { headers = {}, path = "token" } = {}) {
  const init = { method: "POST", headers: { ...headers } };
  if (encoding === "json") { init.headers["content-type"] ??= "application/json"; init.body = JSON.stringify(params); }
  if (encoding === "form") { init.headers["content-type"] ??= "application/x-www-form-urlencoded"; init.body = typeof params === "string" ? params : new URLSearchParams(params).toString(); }
  return fetch(sandbox.endpoints(provider)[path], init);
}

const creds = (provider, client = "main") => {
  const c = sandboxClients(provider)[client];
  return { client_id: c.clientId, client_secret: c.clientSecret };
};

async function expectError(response, status, error, described) {
  const body = await response.json();
  assert.equal(response.status, status, JSON.stringify(body));
  assert.equal(body.error, error);
  if (described) assert.match(body.error_description, described);
}

async function billitTokens() {
  const code = codeOf(await back("billit"));
  return (await post("billit", { grant_type: "authorization_code", code, redirect_uri: REDIRECT, ...creds("billit") }, "json")).json();
}

test("review71-1: billit refuses a parameter its guide does not list (scope) at authorize, code exchange and refresh", async () => {
  const page = await fetch(authorizeUrl("billit", { scope: "read write" }), { redirect: "manual" });
  assert.equal(page.status, 400);
  assert.match(await page.text(), /scope/);
  const code = codeOf(await back("billit"));
  await expectError(await post("billit", { grant_type: "authorization_code", code, redirect_uri: REDIRECT, scope: "read", ...creds("billit") }, "json"), 400, "invalid_request", /scope/);
  const tokens = await billitTokens();
  const refresh = { grant_type: "refresh_token", refresh_token: tokens.refresh_token, ...creds("billit") };
  await expectError(await post("billit", { ...refresh, scope: "admin" }, "json"), 400, "invalid_request", /scope/);
  // The guide's own requests still pass.
  assert.equal((await post("billit", refresh, "json")).status, 200);
});

test("review71-2: billit refuses response_type, which its authorize URL does not carry", async () => {
  assert.equal((await fetch(authorizeUrl("billit", { response_type: "token" }), { redirect: "manual" })).status, 400);
});

test("review71-3: billit returns a state only up to its first &, as its guide says", async () => {
  const url = await back("billit", { state: "user=1&tenant=2" });
  assert.equal(url.searchParams.get("state"), "user=1");
});

test("review71-4: payfit: a new token for a company ends that company's other tokens", async () => {
  const { clientId } = sandboxClients("payfit").main;
  await fetch(`${sandbox.url}/_sandbox/switch`, { method: "POST", body: JSON.stringify({ clientId, companyId: "co_42" }) });
  try {
    const token = async () => {
      const code = codeOf(await back("payfit"));
      return (await (await post("payfit", { grant_type: "authorization_code", code, redirect_uri: REDIRECT, ...creds("payfit") }, "form")).json()).access_token;
    };
    const first = await token();
    const second = await token();
    const get = (t) => fetch(`${sandbox.endpoints("payfit").api}/companies/co_42`, { headers: { authorization: `Bearer ${t}` } });
    assert.equal((await get(second)).status, 200);
    assert.equal((await get(first)).status, 401);
  } finally {
    await fetch(`${sandbox.url}/_sandbox/switch`, { method: "POST", body: JSON.stringify({ clientId, reset: true }) });
  }
});

test("review71-5: factorial: once a refreshed access token is used, the one before it is refused", async () => {
  const code = codeOf(await back("factorial"));
  const first = await (await post("factorial", { grant_type: "authorization_code", code, redirect_uri: REDIRECT, ...creds("factorial") }, "form")).json();
  const second = await (await post("factorial", { grant_type: "refresh_token", refresh_token: first.refresh_token, ...creds("factorial") }, "form")).json();
  const get = (t) => fetch(`${sandbox.endpoints("factorial").api}/api/v2/employees`, { headers: { authorization: `Bearer ${t}` } });
  // Until the new one is used, the old one still serves (a request in flight).
  assert.equal((await get(first.access_token)).status, 200);
  assert.equal((await get(second.access_token)).status, 200);
  assert.equal((await get(first.access_token)).status, 401);
});

test("review71-6: payfit: authorize without scope, or with a scope its list lacks, is invalid_scope", async () => {
  for (const scope of [undefined, "contracts:read,not:a:scope", "contracts:read not:a:scope"]) {
    const url = await back("payfit", { scope });
    assert.equal(url.searchParams.get("error"), "invalid_scope", String(scope));
    assert.equal(url.searchParams.get("state"), "s1");
  }
  assert.ok(codeOf(await back("payfit", { scope: "contracts:read,collaborators:read" })));
});

test("review71-7: a parameter sent twice is refused (RFC 6749 §3.1, §3.2), at authorize and in a token body", async () => {
  const twice = authorizeUrl("payfit", {});
  twice.searchParams.append("state", "s2");
  assert.equal((await fetch(twice, { redirect: "manual" })).status, 400);
  const code = codeOf(await back("payfit"));
  const body = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, ...creds("payfit") });
  body.append("redirect_uri", REDIRECT);
  await expectError(await post("payfit", body.toString(), "form"), 400, "invalid_request", /redirect_uri/);
});

test("review71-8: a PKCE challenge or verifier of the wrong form is refused (RFC 7636 §4.1, §4.2)", async () => {
  const short = await back("tropipay", { code_challenge: "short", code_challenge_method: "S256" });
  assert.equal(short.searchParams.get("error"), "invalid_request");
  const code = codeOf(await back("tropipay", PKCE));
  const exchange = (code_verifier) => post("tropipay", { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier, ...creds("tropipay") }, "json");
  await expectError(await exchange("abc123def456gh"), 400, "invalid_request", /code_verifier/);
  // The code is still good: a malformed verifier spends nothing.
  assert.equal((await exchange(verifier)).status, 200);
});

test("review71-9: a code_verifier for a code issued without a challenge is refused (RFC 9700 §2.1.1)", async () => {
  const code = codeOf(await back("payout"));
  await expectError(await post("payout", { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: verifier, ...creds("payout") }, "json"), 400, "invalid_grant", /code_challenge/);
});

test("review71-10: the content type is read as a media type: case-insensitive, never by substring", async () => {
  const tokens = await billitTokens();
  const refresh = { grant_type: "refresh_token", refresh_token: tokens.refresh_token, ...creds("billit") };
  await expectError(await post("billit", refresh, "json", { headers: { "content-type": "text/plain; profile=application/json" } }), 400, "invalid_request");
  // The guide's own spelling.
  assert.equal((await post("billit", refresh, "json", { headers: { "content-type": "Application/json; charset=utf-8" } })).status, 200);
});

test("review71-11: a JSON token request's values must be strings", async () => {
  const tokens = await billitTokens();
  const { client_id, client_secret } = creds("billit");
  await expectError(await post("billit", { grant_type: "refresh_token", refresh_token: tokens.refresh_token, client_id, client_secret: [client_secret] }, "json"), 400, "invalid_request", /client_secret/);
});

test("review71-12: custom: one client authentication method a request (RFC 6749 §2.3)", async () => {
  const { clientId, clientSecret } = sandboxClients("custom").main;
  const basic = { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}` };
  await expectError(await post("custom", { grant_type: "client_credentials", client_id: clientId, client_secret: "WRONG" }, "form", { headers: basic }), 400, "invalid_request");
  await expectError(await post("custom", { grant_type: "client_credentials", client_id: "custom-other" }, "form", { headers: basic }), 400, "invalid_request");
  assert.equal((await post("custom", { grant_type: "client_credentials" }, "form", { headers: basic })).status, 200);
});

test("review71-13: an empty parameter is an omitted one (RFC 6749 §3.1): state= comes back as no state", async () => {
  const url = await back("factorial", { state: "" });
  assert.ok(codeOf(url));
  assert.equal(url.searchParams.has("state"), false);
});

test("review71-14: a JSON token request naming a field twice is refused (RFC 6749 §3.2)", async () => {
  const tokens = await billitTokens();
  const { client_id, client_secret } = creds("billit");
  const body = `{"grant_type":"refresh_token","refresh_token":${JSON.stringify(tokens.refresh_token)},"client_id":"${client_id}","client_secret":"${client_secret}","grant_type":"refresh_token"}`;
  const answer = await fetch(sandbox.endpoints("billit").token, { method: "POST", headers: { "content-type": "application/json" }, body });
  await expectError(answer, 400, "invalid_request", /grant_type appears more than once/);
  // A name inside a string value is not a member's name.
  const quoted = `{"grant_type":"refresh_token","x":"a\\\",\\\"grant_type\\\":\\\"b"}`;
  assert.equal(JSON.parse(quoted).x, 'a","grant_type":"b');
  const other = await fetch(sandbox.endpoints("billit").token, { method: "POST", headers: { "content-type": "application/json" }, body: quoted });
  await expectError(other, 400, "invalid_request", /^x is not a parameter/);
});

test("review71-15: payfit: introspection says inactive for another client's token", async () => {
  const token = async (client) => {
    const url = authorizeUrl("payfit", { client_id: sandboxClients("payfit")[client].clientId });
    const code = codeOf(new URL(await consent(url.toString())));
    return (await (await post("payfit", { grant_type: "authorization_code", code, redirect_uri: REDIRECT, ...creds("payfit", client) }, "form")).json()).access_token;
  };
  const [mine, theirs] = [await token("main"), await token("other")];
  const introspect = (bearer, asked) => fetch(sandbox.endpoints("payfit").introspect, {
    method: "POST", headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" }, body: JSON.stringify({ token: asked }),
  }).then((r) => r.json());
  assert.equal((await introspect(mine, mine)).active, true);
  assert.deepEqual(await introspect(mine, theirs), { active: false });
});

test("review71-16: a client_secret in the URL is refused where the guide shows a body", async () => {
  const tokens = await billitTokens();
  const { client_id, client_secret } = creds("billit");
  const url = new URL(sandbox.endpoints("billit").token);
  url.searchParams.set("client_secret", client_secret);
  const answer = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ grant_type: "refresh_token", refresh_token: tokens.refresh_token, client_id, client_secret }) });
  await expectError(answer, 400, "invalid_request", /URL/);
});

// Review 74: where the new refusals went past the guides.
test("review74-1: billit: a raw & in state (the guide's own case) is cut there, not refused as a parameter", async () => {
  const url = authorizeUrl("billit", {});
  url.search = `${url.search.replace(/&state=s1/, "")}&state=user=1&tenant=2`;
  const back = new URL(await consent(url.toString()));
  assert.ok(codeOf(back));
  assert.equal(back.searchParams.get("state"), "user=1");
});

test("review74-2: payfit: the scopes its public docs add are accepted", async () => {
  for (const scope of ["time:read", "contracts:read,contracts:payslips:read", "collaborators:bank-info:read"]) {
    assert.ok(codeOf(await back("payfit", { scope })), scope);
  }
});

test("review74-3: payfit: scopes joined by a space (its public docs, scopeSeparator) are accepted", async () => {
  assert.ok(codeOf(await back("payfit", { scope: "contracts:read collaborators:read" })));
});

test("review74-4: payfit: a company's new token ends that company's other tokens of the same app only", async () => {
  const ids = ["main", "other"].map((c) => sandboxClients("payfit")[c].clientId);
  const admin = (body) => fetch(`${sandbox.url}/_sandbox/switch`, { method: "POST", body: JSON.stringify(body) });
  for (const clientId of ids) await admin({ clientId, companyId: "co_shared" });
  try {
    const token = async (client) => {
      const url = authorizeUrl("payfit", { client_id: sandboxClients("payfit")[client].clientId });
      const code = codeOf(new URL(await consent(url.toString())));
      return (await (await post("payfit", { grant_type: "authorization_code", code, redirect_uri: REDIRECT, ...creds("payfit", client) }, "form")).json()).access_token;
    };
    const mine = await token("main");
    await token("other");
    const get = (t) => fetch(`${sandbox.endpoints("payfit").api}/companies/co_shared`, { headers: { authorization: `Bearer ${t}` } });
    assert.equal((await get(mine)).status, 200);
  } finally {
    for (const clientId of ids) await admin({ clientId, reset: true });
  }
});

test("review74-5: factorial: a call on the new token that the sandbox refused (503) does not revoke the old one", async () => {
  const code = codeOf(await back("factorial"));
  const first = await (await post("factorial", { grant_type: "authorization_code", code, redirect_uri: REDIRECT, ...creds("factorial") }, "form")).json();
  const second = await (await post("factorial", { grant_type: "refresh_token", refresh_token: first.refresh_token, ...creds("factorial") }, "form")).json();
  const { clientId } = sandboxClients("factorial").main;
  const admin = (body) => fetch(`${sandbox.url}/_sandbox/switch`, { method: "POST", body: JSON.stringify(body) });
  await admin({ clientId, unavailable: { on: "api", status: 503, times: 1 } });
  try {
    const get = (t) => fetch(`${sandbox.endpoints("factorial").api}/api/v2/employees`, { headers: { authorization: `Bearer ${t}` } });
    assert.equal((await get(second.access_token)).status, 503);
    assert.equal((await get(first.access_token)).status, 200);
  } finally {
    await admin({ clientId, reset: true });
  }
});

test("review74, minor: an empty parameter is omitted before the repeat check; PayFit introspection of malformed JSON is a 400", async () => {
  assert.ok(codeOf(await back("payfit", { scope: "contracts:read", state: "" })));
  const url = authorizeUrl("factorial", {});
  url.searchParams.append("state", "");
  assert.ok(codeOf(new URL(await consent(url.toString()))), "state=s1&state= is one state");
  const code = codeOf(await back("payfit"));
  const token = (await (await post("payfit", { grant_type: "authorization_code", code, redirect_uri: REDIRECT, ...creds("payfit") }, "form")).json()).access_token;
  const answer = await fetch(sandbox.endpoints("payfit").introspect, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: "{" });
  await expectError(answer, 400, "invalid_request");
});
