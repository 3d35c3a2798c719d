// Worker home: the installed package bundled as wrangler would (export
// condition "workerd"), run in real workerd through Miniflare: two Worker
// scripts share one Durable Object namespace, the vault.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";
import { startSandbox, sandboxClients } from "../../../www/sandbox/server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
const ORIGIN = "https://worker.example.com";
const REDIRECT = `${ORIGIN}/oauth/callback`;
const PROVIDERS = ["payfit", "payout", "factorial", "tropipay", "billit"];

let sandbox, mf, workerB;

async function bundle() {
  mkdirSync(dist, { recursive: true });
  await esbuild.build({
    entryPoints: [join(here, "src/worker.mjs")], outfile: join(dist, "worker.mjs"),
    bundle: true, format: "esm", platform: "neutral", conditions: ["workerd", "worker"],
    external: ["cloudflare:workers", "*.wasm"], logLevel: "warning",
  });
  const wasm = createRequire(import.meta.url).resolve("partner-oauth/partner_oauth_bg.wasm");
  copyFileSync(wasm, join(dist, "partner_oauth_bg.wasm"));
}

function workerOptions(name, bindings, durableObjects) {
  return {
    name, modules: true, scriptPath: join(dist, "worker.mjs"), modulesRoot: dist,
    modulesRules: [{ type: "ESModule", include: ["**/*.mjs", "**/*.js"] }, { type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2025-06-01", durableObjects, bindings,
  };
}

function bindings(extra = {}) {
  return {
    CLIENTS: JSON.stringify(Object.fromEntries(PROVIDERS.map((p) => [p, sandboxClients(p).main]))),
    ENDPOINTS: JSON.stringify(Object.fromEntries(PROVIDERS.map((p) => [p, sandbox.endpoints(p)]))),
    REDIRECT_URI: REDIRECT, STATE_KEY: "worker-state-key-of-at-least-32-bytes!", TEST_ROUTES: "1",
    JWKS_URL: sandbox.jwksUrl("tropipay"), JWT_ISSUER: sandbox.issuer("tropipay"), ...extra,
  };
}

before(async () => {
  await bundle();
  sandbox = await startSandbox({ redirectUris: [REDIRECT] });
  mf = new Miniflare({
    workers: [
      workerOptions("a", bindings(), { VAULT: "TokenVault" }),
      // A second script bound to the first one's Durable Object class.
      workerOptions("b", bindings(), { VAULT: { className: "TokenVault", scriptName: "a" } }),
    ],
  });
  workerB = await mf.getWorker("b");
});
after(async () => { await mf?.dispose(); await sandbox?.close(); });

const fetchA = (path, init = {}) => mf.dispatchFetch(new URL(path, ORIGIN), { redirect: "manual", ...init });
const fetchB = (path, init = {}) => workerB.fetch(new URL(path, ORIGIN), { redirect: "manual", ...init });
const stats = async () => (await fetch(`${sandbox.url}/_sandbox/stats`)).json();

/** The consent page's Approve or Deny, as a browser would press it. */
async function consent(url, decision = "approve") {
  const html = await (await fetch(url)).text();
  const request = html.match(/name="request" value="([^"]+)"/)[1];
  const action = html.match(/action="([^"]+)"/)[1];
  const answer = await fetch(new URL(action, url), {
    method: "POST", redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ request, decision }),
  });
  return answer.headers.get("location");
}

/** /connect → consent → the callback URL and the pending cookie. */
async function begin(provider, id, kind) {
  const query = new URLSearchParams({ ...(id && { id }), ...(kind && { kind }) });
  const start = await fetchA(`/connect/${provider}?${query}`);
  assert.equal(start.status, 302);
  const setCookie = start.headers.get("set-cookie");
  assert.match(setCookie, /^__Host-oauth_pending=[^;]+; HttpOnly; Secure; SameSite=Lax; Path=\/; Max-Age=600$/);
  return { callback: await consent(start.headers.get("location")), cookie: setCookie.split(";")[0] };
}

const finish = ({ callback, cookie }) => fetchA(callback.replace(ORIGIN, ""), { headers: { cookie } });
const stored = async (provider, id) => (await fetchA(`/_test/connection/${provider}/${encodeURIComponent(id)}`)).json();

for (const provider of ["billit", "payout", "factorial", "tropipay"]) {
  test(`${provider}: connect through the Worker stores the token under the id from state`, async () => {
    const done = await finish(await begin(provider, `customer-${provider}`));
    assert.equal(done.status, 302);
    assert.equal(done.headers.get("location"), `/connected/${provider}/customer-${provider}`);
    assert.match(done.headers.get("set-cookie"), /Max-Age=0/);
    assert.ok(await stored(provider, `customer-${provider}`));
  });
}

test("payfit: the connection is keyed by the company_id introspection gives", async () => {
  const done = await finish(await begin("payfit"));
  const [, , , companyId] = done.headers.get("location").split("/");
  assert.match(companyId, /^co_/);
  assert.equal((await stored("payfit", companyId)).companyId, companyId);
  const api = await fetchB(`/api/payfit/${companyId}/companies/${companyId}`);
  assert.equal(api.status, 200);
});

test("a tampered cookie is refused with 400 and nothing is stored", async () => {
  const flow = await begin("billit", "tampered");
  const exchangesBefore = (await stats()).billit?.authorization_code ?? 0;
  const cookie = flow.cookie.slice(0, -3) + (flow.cookie.endsWith("AAA") ? "BBB" : "AAA");
  const response = await finish({ ...flow, cookie });
  assert.equal(response.status, 400);
  assert.equal((await response.json()).error, "invalid_pending");
  assert.equal((await stats()).billit?.authorization_code ?? 0, exchangesBefore);
  assert.equal(await stored("billit", "tampered"), null);
});

test("a missing cookie is refused with 400", async () => {
  const flow = await begin("billit", "nocookie");
  const response = await finish({ ...flow, cookie: "" });
  assert.equal(response.status, 400);
  assert.equal((await response.json()).error, "missing_pending");
});

test("a replayed callback is refused with 400 before any exchange", async () => {
  const flow = await begin("billit", "replay");
  assert.equal((await finish(flow)).status, 302);
  const exchanges = (await stats()).billit.authorization_code;
  const again = await finish(flow);
  assert.equal(again.status, 400);
  assert.equal((await again.json()).error, "replayed_callback");
  assert.equal((await stats()).billit.authorization_code, exchanges);
});

test("a callback for the wrong provider is refused with 400 and nothing is stored", async () => {
  const flow = await begin("billit", "wrong-provider");
  const cookie = flow.cookie.replace("=billit.", "=payfit.");
  const response = await finish({ ...flow, cookie });
  assert.equal(response.status, 400);
  assert.equal((await response.json()).error, "provider_mismatch");
  assert.equal(await stored("billit", "wrong-provider"), null);
});

test("a denied consent is access_denied, 400", async () => {
  const start = await fetchA("/connect/billit?id=denied");
  const callback = await consent(start.headers.get("location"), "deny");
  const response = await finish({ callback, cookie: start.headers.get("set-cookie").split(";")[0] });
  assert.equal(response.status, 400);
  assert.equal((await response.json()).error, "access_denied");
});

test("an expired pending value is refused with 400 and nothing is stored", async () => {
  const short = new Miniflare(workerOptions("short", bindings({ STATE_MAX_AGE: "1" }), { VAULT: "TokenVault" }));
  try {
    const start = await short.dispatchFetch(`${ORIGIN}/connect/billit?id=late`, { redirect: "manual" });
    const callback = await consent(start.headers.get("location"));
    await new Promise((r) => setTimeout(r, 2100));
    const response = await short.dispatchFetch(callback, { redirect: "manual", headers: { cookie: start.headers.get("set-cookie").split(";")[0] } });
    assert.equal(response.status, 400);
    assert.equal((await response.json()).error, "state_expired");
  } finally {
    await short.dispose();
  }
});

test("50 concurrent calls from two scripts at an expired token: one refresh, all served, rotated token stored", async () => {
  assert.equal((await finish(await begin("billit", "race"))).status, 302);
  const before = await stored("billit", "race");
  const refreshesBefore = (await stats()).billit?.refresh_token ?? 0;
  // The provider now considers the access token expired.
  await fetch(`${sandbox.url}/_sandbox/clock`, { method: "POST", body: JSON.stringify({ advance: 3601 }) });
  const calls = Array.from({ length: 50 }, (_, i) => (i % 2 ? fetchA : fetchB)("/api/billit/race/v1/orders"));
  const responses = await Promise.all(calls);
  assert.deepEqual(responses.map((r) => r.status), Array(50).fill(200));
  for (const r of responses) assert.equal(JSON.parse(await r.text()).Items[0].OrderNumber, "SB-0001");
  assert.equal((await stats()).billit.refresh_token - refreshesBefore, 1);
  const after = await stored("billit", "race");
  assert.notEqual(after.refreshToken, before.refreshToken);
  // The stored refresh token is the live one: the sandbox accepts it, not the
  // old (asked second: replaying the old one ends the grant, as oidc-provider does).
  const refresh = (token) => fetch(sandbox.endpoints("billit").token, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "refresh_token", refresh_token: token, client_id: "billit-client", client_secret: sandboxClients("billit").main.clientSecret }),
  });
  assert.equal((await refresh(after.refreshToken)).status, 200);
  assert.equal((await refresh(before.refreshToken)).status, 400);
});

test("refresh ahead of expiry: 20 concurrent calls at a token past its expiresAt refresh once", async () => {
  // A Factorial user token (company tokens never expire).
  assert.equal((await finish(await begin("factorial", "ahead", "user"))).status, 302);
  await fetchA("/_test/expire/factorial/ahead");
  const before = (await stats()).factorial?.refresh_token ?? 0;
  const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? fetchA : fetchB)("/api/factorial/ahead/api/v1/employees")));
  assert.deepEqual(responses.map((r) => r.status), Array(20).fill(200));
  assert.equal((await stats()).factorial.refresh_token - before, 1);
});

test("a TropiPay JWT from the sandbox verifies against the sandbox's JWKS; an altered one does not", async () => {
  const response = await fetch(sandbox.endpoints("tropipay").token, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "client_credentials", scope: "ALLOW_GET_BALANCE", ...Object.fromEntries(Object.entries(sandboxClients("tropipay").main).map(([k, v]) => [k === "clientId" ? "client_id" : "client_secret", v])) }),
  });
  const { access_token: jwt } = await response.json();
  const ok = await fetchB("/verify", { headers: { authorization: `Bearer ${jwt}` } });
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { sub: "tropipay-client", scope: "ALLOW_GET_BALANCE" });
  const [header, payload, signature] = jwt.split(".");
  const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url")), sub: "someone-else" })).toString("base64url");
  const bad = await fetchA("/verify", { headers: { authorization: `Bearer ${header}.${forged}.${signature}` } });
  assert.equal(bad.status, 401);
  assert.equal((await bad.json()).error, "invalid_signature");
});
