// The sandbox as strict as the providers (PROVIDERS.md), each behaviour
// through the package: tokens bound to their provider and client, refresh
// tokens' lifetimes, PayFit's per-application rate limit and uninstall,
// Factorial's API versions and POST limits. Each test has its own sandbox:
// several move its clock, or freeze it to reach a per-second limit without
// racing the wall clock.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startSandbox, sandboxClient, consent, rejectsWith, scopesFor, REDIRECT } from "./helpers.mjs";

const DAY = 86400;

async function withSandbox(run) {
  const sandbox = await startSandbox({ redirectUris: [REDIRECT] });
  try {
    const clock = (settings) => fetch(`${sandbox.url}/_sandbox/clock`, { method: "POST", body: JSON.stringify(settings) });
    const switchOn = (clientId, settings) => fetch(`${sandbox.url}/_sandbox/switch`, { method: "POST", body: JSON.stringify({ clientId, ...settings }) });
    await run({ sandbox, client: (provider, extra) => sandboxClient(sandbox, provider, extra), clock, switchOn });
  } finally {
    await sandbox.close();
  }
}

async function connect(c, start = {}) {
  const { url, pending } = c.startAuthorization({ scopes: scopesFor(c.provider, []), ...start });
  return c.exchangeCode(c.parseCallback(await consent(url), pending), pending);
}

test("a token is bound to its provider: a Factorial token gets 401 at Billit's API (and Billit's own token 200)", () => withSandbox(async ({ client }) => {
  const factorial = await connect(client("factorial"), { tokenKind: "user" });
  const billit = client("billit");
  await rejectsWith(billit.fetchApi(factorial, "/v1/orders"), "invalid_token", (e) => {
    assert.equal(e.status, 401);
    assert.equal(e.providerCode, "InvalidAccessToken");
  });
  assert.equal((await billit.fetchApi(await connect(billit), "/v1/orders")).status, 200);
}));

test("a token is bound to its client: another client can neither refresh nor revoke it", () => withSandbox(async ({ client }) => {
  const token = await connect(client("factorial"), { tokenKind: "user" });
  const other = client("factorial", { client: "other" });
  await rejectsWith(other.refresh(token), "invalid_grant");
  // RFC 7009 §2.1: revocation of another client's token is refused (the same 200 as an unknown token).
  await other.revoke(token.accessToken, { hint: "access_token" });
  assert.equal((await client("factorial").fetchApi(token, "/api/v1/employees")).status, 200);
  await client("factorial").revoke(token.accessToken, { hint: "access_token" });
  await rejectsWith(client("factorial").fetchApi(token, "/api/v1/employees"), "invalid_token", (e) => assert.equal(e.status, 401));
}));

test("billit: a refresh token never expires and is single use (reuse is invalid_grant and ends the grant)", () => withSandbox(async ({ client, clock }) => {
  const c = client("billit");
  const token = await connect(c);
  await clock({ advance: 400 * DAY });
  const refreshed = await c.refresh(token);
  assert.equal((await c.fetchApi(refreshed, "/v1/orders")).status, 200);
  await rejectsWith(c.refresh(token), "invalid_grant");
  // The reuse ended the grant (RFC 9700 §4.14.2): the rotated tokens too.
  await rejectsWith(c.fetchApi(refreshed, "/v1/orders"), "token_revoked", (e) => assert.equal(e.providerCode, "AccessTokenRevoked"));
  await rejectsWith(c.refresh(refreshed), "invalid_grant");
}));

test("payout: no revocation endpoint: revoke is unsupported_grant, and the tokens stay usable", () => withSandbox(async ({ sandbox, client }) => {
  assert.equal(sandbox.endpoints("payout").revoke, undefined);
  const c = client("payout");
  const token = await connect(c);
  await rejectsWith(c.revoke(token.refreshToken), "unsupported_grant");
  const answer = await fetch(`${sandbox.url}/payout/oauth/revoke`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: token.refreshToken }) });
  assert.equal(answer.status, 404);
  assert.ok((await c.refresh(token)).accessToken);
}));

test("refresh tokens expire where a source says: Factorial's after 7 days, Payout's after 90", () => withSandbox(async ({ client, clock }) => {
  for (const [provider, days, start] of [["factorial", 7, { tokenKind: "user" }], ["payout", 90, {}]]) {
    const c = client(provider);
    // Each new refresh token gets the whole lifetime from its issue.
    const young = await connect(c, start);
    await clock({ advance: days * DAY - 60 });
    const renewed = await c.refresh(young);
    const old = await connect(c, start);
    await clock({ advance: days * DAY - 60 });
    assert.ok((await c.refresh(renewed)).accessToken, `${provider}: a refresh token ${days} days old less a minute still works`);
    await clock({ advance: 61 });
    await rejectsWith(c.refresh(old), "invalid_grant", (e) => assert.equal(e.status, 400));
  }
}));

test("payfit: the rate limit is per application: 50 reads/s and 20 writes/s, then 429 with X-RateLimit-*", () => withSandbox(async ({ client, clock }) => {
  const c = client("payfit");
  // Two companies' tokens of one application share its budget; another application has its own.
  const [first, second] = [await connect(c), await connect(c)];
  const [firstCo, secondCo] = [(await c.introspect(first)).companyId, (await c.introspect(second)).companyId];
  const other = client("payfit", { client: "other" });
  const otherToken = await connect(other);
  const otherCo = (await other.introspect(otherToken)).companyId;
  await clock({ freeze: true });
  const reads = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? c.fetchApi(first, `/companies/${firstCo}`) : c.fetchApi(second, `/companies/${secondCo}`))));
  assert.deepEqual(reads.map((r) => r.status), Array(50).fill(200));
  const limited = await c.fetchApi(second, `/companies/${secondCo}`);
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get("x-ratelimit-limit-second"), "50");
  assert.equal(limited.headers.get("x-ratelimit-remaining-second"), "0");
  assert.deepEqual(await limited.json(), { message: "API rate limit exceeded" });
  assert.equal((await other.fetchApi(otherToken, `/companies/${otherCo}`)).status, 200);
  // Writes have their own, smaller budget.
  const write = () => c.fetchApi(first, `/companies/${firstCo}`, { method: "POST", body: "{}" });
  const writes = await Promise.all(Array.from({ length: 20 }, write));
  assert.deepEqual(writes.map((r) => r.status), Array(20).fill(200));
  const refused = await write();
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get("x-ratelimit-limit-second"), "20");
  // The next second has a fresh budget.
  await clock({ advance: 1 });
  assert.equal((await c.fetchApi(first, `/companies/${firstCo}`)).status, 200);
}));

test("payfit: an uninstall revokes the company's token: the API and introspection answer 401; another company's token works", () => withSandbox(async ({ client, switchOn }) => {
  const c = client("payfit");
  const [gone, kept] = [await connect(c), await connect(c)];
  const [goneCo, keptCo] = [(await c.introspect(gone)).companyId, (await c.introspect(kept)).companyId];
  await switchOn("payfit-client", { uninstall: goneCo });
  await rejectsWith(c.fetchApi(gone, `/companies/${goneCo}`), "invalid_token", (e) => assert.equal(e.status, 401));
  await rejectsWith(c.introspect(gone), "invalid_token", (e) => assert.equal(e.status, 401));
  assert.equal((await c.fetchApi(kept, `/companies/${keptCo}`)).status, 200);
}));

test("factorial: the date-versioned API paths work beside /api/v1", () => withSandbox(async ({ client }) => {
  const c = client("factorial");
  const token = await connect(c, { tokenKind: "company" });
  for (const path of ["/api/v1/employees", "/api/2026-01-01/resources/employees/employees", "/api/2026-04-01/resources/employees/employees"]) {
    const answer = await c.fetchApi(token, path);
    assert.equal(answer.status, 200, path);
    assert.equal((await answer.json())[0].full_name, "Ada Lovelace");
  }
}));

test("factorial: POSTs are limited to 100/min on /api/v1 and 200/min on /api/v2; reads are not", () => withSandbox(async ({ client, clock }) => {
  const c = client("factorial");
  const token = await connect(c, { tokenKind: "company" });
  await clock({ freeze: true });
  const post = (version) => c.fetchApi(token, `/api/${version}/employees`, { method: "POST", body: "{}" });
  for (const [version, max] of [["v1", 100], ["v2", 200]]) {
    const answers = await Promise.all(Array.from({ length: max }, () => post(version)));
    assert.deepEqual(answers.map((r) => r.status), Array(max).fill(201), version);
    const limited = await post(version);
    assert.equal(limited.status, 429, version);
    assert.ok(Number(limited.headers.get("retry-after")) > 0);
  }
  assert.equal((await c.fetchApi(token, "/api/v1/employees")).status, 200);
  await clock({ advance: 60 });
  assert.equal((await post("v1")).status, 201);
}));
