// The sandbox's fault switches (www/sandbox/server.mjs, POST /_sandbox/switch)
// that the Worker connection tests rely on. Each test first shows the
// sandbox's normal answer, then the switched one: a switch that did nothing
// fails here.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSandbox, sandboxClients, consent, REDIRECT } from "./helpers.mjs";

let sandbox;
before(async () => { sandbox = await startSandbox({ redirectUris: [REDIRECT] }); });
after(() => sandbox.close());

const CLIENT = sandboxClients("billit").main;
const creds = { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret };
const switchOn = async (settings) => (await fetch(`${sandbox.url}/_sandbox/switch`, { method: "POST", body: JSON.stringify({ clientId: CLIENT.clientId, ...settings }) })).json();
const token = (params) => fetch(sandbox.endpoints("billit").token, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...creds, ...params }) });

/** A fresh Billit grant: { access_token, refresh_token, expires_in }. */
async function grant() {
  const url = new URL(sandbox.endpoints("billit").authorize);
  url.searchParams.set("client_id", CLIENT.clientId);
  url.searchParams.set("redirect_uri", REDIRECT);
  url.searchParams.set("state", "s");
  const code = new URL(await consent(url.toString())).searchParams.get("code");
  const response = await token({ grant_type: "authorization_code", code, redirect_uri: REDIRECT });
  assert.equal(response.status, 200);
  return response.json();
}

const api = (accessToken) => fetch(`${sandbox.endpoints("billit").api}/v1/orders`, { headers: { authorization: `Bearer ${accessToken}` } });

test("switch expiresIn: the client's tokens get that lifetime", async () => {
  assert.equal((await grant()).expires_in, 3600);
  await switchOn({ expiresIn: 7 });
  try {
    assert.equal((await grant()).expires_in, 7);
  } finally {
    await switchOn({ reset: true });
  }
});

test("switch refuseRefresh: a valid refresh token gets invalid_grant", async () => {
  const first = await grant();
  await switchOn({ refuseRefresh: true });
  try {
    const refused = await token({ grant_type: "refresh_token", refresh_token: first.refresh_token });
    assert.equal(refused.status, 400);
    assert.equal((await refused.json()).error, "invalid_grant");
  } finally {
    await switchOn({ reset: true });
  }
  // Off again: the same refresh token still works (the switch spent nothing).
  assert.equal((await token({ grant_type: "refresh_token", refresh_token: first.refresh_token })).status, 200);
});

test("switch unavailable on the token endpoint: 503 with Retry-After, `times` times", async () => {
  const first = await grant();
  await switchOn({ unavailable: { on: "token", status: 503, retryAfter: 42, times: 1 } });
  try {
    const busy = await token({ grant_type: "refresh_token", refresh_token: first.refresh_token });
    assert.equal(busy.status, 503);
    assert.equal(busy.headers.get("retry-after"), "42");
    assert.equal((await token({ grant_type: "refresh_token", refresh_token: first.refresh_token })).status, 200);
  } finally {
    await switchOn({ reset: true });
  }
});

test("switch unavailable on the API: 429 with Retry-After", async () => {
  const { access_token: accessToken } = await grant();
  assert.equal((await api(accessToken)).status, 200);
  await switchOn({ unavailable: { on: "api", status: 429, retryAfter: 3, times: 1 } });
  try {
    const limited = await api(accessToken);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("retry-after"), "3");
  } finally {
    await switchOn({ reset: true });
  }
});

test("switch delayMs: the token endpoint answers no sooner than the delay", async () => {
  const refresh = (signal) => fetch(sandbox.endpoints("billit").token, { method: "POST", signal, headers: { "content-type": "application/json" }, body: JSON.stringify({ ...creds, grant_type: "refresh_token", refresh_token: "x" }) });
  assert.equal((await refresh(AbortSignal.timeout(150))).status, 400);
  await switchOn({ delayMs: 400 });
  try {
    // A client that gives up after 150 ms sees no answer (what a timeout test needs).
    await assert.rejects(refresh(AbortSignal.timeout(150)), { name: "TimeoutError" });
  } finally {
    await switchOn({ reset: true });
  }
});

test("GET /_sandbox/tokens lists the issued access and refresh tokens", async () => {
  const issued = await grant();
  const listed = await (await fetch(`${sandbox.url}/_sandbox/tokens`)).json();
  assert.ok(listed.access.includes(issued.access_token));
  assert.ok(listed.refresh.includes(issued.refresh_token));
});

test("switch companyId: PayFit grants name that company instead of a new one each", async () => {
  const payfit = sandboxClients("payfit").main;
  const companyOf = async () => {
    const url = new URL(sandbox.endpoints("payfit").authorize);
    Object.entries({ response_type: "code", client_id: payfit.clientId, redirect_uri: REDIRECT, state: "s", scope: "contracts:read" }).forEach(([k, v]) => url.searchParams.set(k, v));
    const code = new URL(await consent(url.toString())).searchParams.get("code");
    const form = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: payfit.clientId, client_secret: payfit.clientSecret });
    const { access_token: accessToken } = await (await fetch(sandbox.endpoints("payfit").token, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form })).json();
    const info = await fetch(sandbox.endpoints("payfit").introspect, { method: "POST", headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" }, body: JSON.stringify({ token: accessToken }) });
    return (await info.json()).company_id;
  };
  assert.notEqual(await companyOf(), await companyOf());
  await fetch(`${sandbox.url}/_sandbox/switch`, { method: "POST", body: JSON.stringify({ clientId: payfit.clientId, companyId: "co_same" }) });
  try {
    assert.equal(await companyOf(), "co_same");
    assert.equal(await companyOf(), "co_same");
  } finally {
    await fetch(`${sandbox.url}/_sandbox/switch`, { method: "POST", body: JSON.stringify({ clientId: payfit.clientId, reset: true }) });
  }
});

const admin = async (route, body) => (await fetch(`${sandbox.url}/_sandbox/${route}`, { method: "POST", body: JSON.stringify(body) })).json();

test("consent mode: authorize answers at once with the chosen decision, or shows the page again", async () => {
  const url = new URL(sandbox.endpoints("billit").authorize);
  for (const [key, value] of Object.entries({ client_id: CLIENT.clientId, redirect_uri: REDIRECT, state: "s" })) url.searchParams.set(key, value);
  const first = await fetch(url, { redirect: "manual" });
  assert.equal(first.status, 200, "the consent page, by default");
  await admin("consent", { decision: "approve" });
  try {
    const approved = await fetch(url, { redirect: "manual" });
    assert.equal(approved.status, 302);
    assert.ok(new URL(approved.headers.get("location")).searchParams.get("code"));
    await admin("consent", { decision: "deny" });
    const denied = await fetch(url, { redirect: "manual" });
    assert.equal(new URL(denied.headers.get("location")).searchParams.get("error"), "access_denied");
  } finally {
    await admin("consent", { decision: null });
  }
  assert.equal((await fetch(url, { redirect: "manual" })).status, 200, "null shows the page again");
});

test("apiErrorStatus mode: Billit's errors[] envelope arrives with that status (200: inside a success)", async () => {
  const refused = await api("not-a-token");
  assert.equal(refused.status, 401, "ours, by default");
  await admin("mode", { apiErrorStatus: 200 });
  try {
    const answer = await api("not-a-token");
    assert.equal(answer.status, 200);
    assert.equal((await answer.json()).errors[0].Code, "InvalidAccessToken");
  } finally {
    await admin("mode", { apiErrorStatus: null });
  }
});

test("issue 17 item 8: through the package, Billit's errors[] inside a 200 is the typed error", async () => {
  const { oauth } = await import("./helpers.mjs");
  const billit = new oauth.OAuthClient({ provider: "billit", ...CLIENT, redirectUri: REDIRECT, endpoints: sandbox.endpoints("billit") });
  await admin("mode", { apiErrorStatus: 200 });
  try {
    await assert.rejects(billit.fetchApi("not-a-token", "/v1/orders"), (e) => e instanceof oauth.OAuthError && e.code === "invalid_token" && e.status === 200);
    const { access_token } = await grant();
    const orders = await billit.fetchApi(access_token, "/v1/orders");
    assert.equal(orders.status, 200);
    assert.equal((await orders.json()).Items.length, 1, "the caller still reads a good answer's body");
  } finally {
    await admin("mode", { apiErrorStatus: null });
  }
});
