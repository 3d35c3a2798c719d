// The README's Worker snippet, extracted from README.md (not a copy) and
// run in workerd with the bindings its wrangler.toml block names: the owner
// comes from a verified JWT (the sandbox's TropiPay issuer stands in for
// Cloudflare Access), and the real Factorial preset's host is played by the
// sandbox (workerd's outbound fetches to it are routed there: nothing is
// sent to Factorial).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { Miniflare } from "miniflare";
import { startSandbox, sandboxClients } from "partner-oauth/sandbox";
import { bundleFixture, bundledScript, tokenKey } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist-readme");
const ORIGIN = "https://app.example.com";
let mf, sandbox, jwt, connectingJwt;

function section() {
  const readme = readFileSync(join(here, "../../../README.md"), "utf8");
  const at = readme.indexOf("### Tokens in Workers");
  const rest = readme.slice(at, readme.indexOf("\n## ", at));
  const block = (lang) => rest.match(new RegExp("```" + lang + "\\n([\\s\\S]*?)```"))[1];
  return { js: block("js"), toml: block("toml") };
}

before(async () => {
  const { js, toml } = section();
  mkdirSync(dist, { recursive: true });
  writeFileSync(join(dist, "entry.mjs"), js);
  await bundleFixture(join(dist, "entry.mjs"), dist, { nodePaths: [join(here, "../node_modules")] });
  const binding = toml.match(/name = "(\w+)", class_name = "(\w+)"/);
  const queue = toml.match(/binding = "(\w+)", queue = "([\w-]+)"/);
  assert.equal(toml.match(/^vars = \{ ORIGIN = "([^"]+)" \}$/m)?.[1], ORIGIN);
  sandbox = await startSandbox({ redirectUris: [`${ORIGIN}/connections/factorial/callback`] });
  // A user's verified JWT: its `sub` (the TropiPay client's id) is the owner.
  const userJwt = async (tropipay) => {
    const answer = await fetch(sandbox.endpoints("tropipay").token, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials", client_id: tropipay.clientId, client_secret: tropipay.clientSecret }),
    });
    return (await answer.json()).access_token;
  };
  jwt = await userJwt(sandboxClients("tropipay").main);
  // Another user, who connects (the other tests' user has no connection).
  connectingJwt = await userJwt(sandboxClients("tropipay").other);
  const factorial = sandboxClients("factorial").main;
  mf = new Miniflare({
    ...bundledScript(dist),
    durableObjects: { [binding[1]]: binding[2] },
    queueProducers: { [queue[1]]: queue[2] }, queueConsumers: { [queue[2]]: { maxBatchTimeout: 0.1 } },
    // Factorial's production host, played by the sandbox; everything else as sent.
    outboundService: async (request) => {
      const url = new URL(request.url);
      const target = url.host === "api.factorialhr.com" ? new URL(`/factorial${url.pathname}${url.search}`, sandbox.url) : url;
      const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
      return fetch(target, { method: request.method, headers: request.headers, body, redirect: "manual" });
    },
    bindings: {
      ORIGIN, FACTORIAL_ID: factorial.clientId, FACTORIAL_SECRET: factorial.clientSecret, STATE_KEY: "readme-state-key-of-at-least-32-bytes",
      TOKEN_KEYS: tokenKey("k1", 7),
      ACCESS_JWKS: sandbox.jwksUrl("tropipay"), ACCESS_ISSUER: sandbox.issuer("tropipay"), ACCESS_AUD: "tropipay-api",
    },
  });
});
after(async () => { await mf?.dispose(); await sandbox?.close(); });

const call = (path, init = {}) => mf.dispatchFetch(new URL(path, ORIGIN), { redirect: "manual", ...init });

test("README snippet: the whole integration it claims: connect, consent, callback, an active connection, the API through it", async () => {
  const user = { "cf-access-jwt-assertion": connectingJwt };
  const start = await call("/connections/factorial/connect", { method: "POST", headers: { origin: ORIGIN, ...user } });
  assert.equal(start.status, 303);
  const cookie = start.headers.get("set-cookie").split(";")[0];
  // The user at Factorial's consent page (the sandbox's), pressing Approve.
  const authorize = new URL(start.headers.get("location"));
  const page = await (await fetch(new URL(`/factorial${authorize.pathname}${authorize.search}`, sandbox.url))).text();
  const consent = await fetch(new URL(page.match(/action="([^"]+)"/)[1], sandbox.url), {
    method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ request: page.match(/name="request" value="([^"]+)"/)[1], decision: "approve" }),
  });
  const back = new URL(consent.headers.get("location"));
  assert.equal(`${back.origin}${back.pathname}`, `${ORIGIN}/connections/factorial/callback`);
  const done = await call(`${back.pathname}${back.search}`, { headers: { cookie, ...user } });
  assert.equal(done.status, 303, await done.clone().text());
  const status = await (await call("/connections/factorial/status", { headers: user })).json();
  assert.equal(status.state, "active");
  assert.equal(status.provider, "factorial");
  // The route is …/api + the provider's own path (Factorial's: /api/v1/…).
  const employees = await call("/connections/factorial/api/api/v1/employees", { headers: user });
  assert.equal(employees.status, 200);
  assert.equal((await employees.json())[0].full_name, "Ada Lovelace");
});

test("README snippet: no verified user is 401 unauthenticated", async () => {
  for (const headers of [{}, { "cf-access-jwt-assertion": jwt.slice(0, -4) + "AAAA" }]) {
    const response = await call("/connections/factorial/status", { headers });
    assert.equal(response.status, 401);
    assert.equal((await response.json()).error, "unauthenticated");
  }
});

test("README snippet: a verified user without a connection gets connection_not_found", async () => {
  const response = await call("/connections/factorial/status", { headers: { "cf-access-jwt-assertion": jwt } });
  assert.equal(response.status, 404);
  assert.equal((await response.json()).error, "connection_not_found");
});

test("README snippet: connect sends the user to Factorial's authorize URL with this provider's callback path", async () => {
  const response = await call("/connections/factorial/connect", { method: "POST", headers: { origin: ORIGIN, "cf-access-jwt-assertion": jwt } });
  assert.equal(response.status, 303);
  const location = new URL(response.headers.get("location"));
  assert.equal(`${location.origin}${location.pathname}`, "https://api.factorialhr.com/oauth/authorize");
  assert.equal(location.searchParams.get("redirect_uri"), `${ORIGIN}/connections/factorial/callback`);
  assert.equal(location.searchParams.get("client_id"), sandboxClients("factorial").main.clientId);
  assert.match(response.headers.get("set-cookie"), /^__Host-partner-oauth-factorial=/);
});

test("README snippet: the pinned origin: a request under another host, its Origin matching that host, connects nothing", async () => {
  const other = "https://other.example.net";
  const response = await mf.dispatchFetch(new URL("/connections/factorial/connect", other), {
    method: "POST", redirect: "manual", headers: { origin: other, "cf-access-jwt-assertion": jwt },
  });
  assert.equal(response.status, 403);
  assert.equal((await response.json()).error, "cross_site_request");
});
