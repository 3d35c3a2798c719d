// Issue 27 in real workerd (Miniflare): partner-oauth/worker for browsers
// (error redirects to returnTo, onError), for operators (structured logs,
// scanned for every secret of the run) and an owner's list of connections.
// Its own Miniflare, sandbox and fixture (src/browser.mjs); workerd's whole
// output is captured, so every record any route wrote is read.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";
import { startSandbox, sandboxClients } from "partner-oauth/sandbox";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist-browser");
const ORIGIN = "https://app.example.com";
const PROVIDERS = ["billit", "factorial"];
const STATE_KEY = "browser-state-key-of-at-least-32-bytes!";
const TOKEN_KEYS = "k1:" + Buffer.alloc(32, 9).toString("base64url");

let sandbox, mf, collector;
/** workerd's stdout and stderr, whole. */
let output = "";
/** Every provider request and answer the fixture made (src/browser.mjs, `recorded`). */
const wire = [];

before(async () => {
  mkdirSync(dist, { recursive: true });
  await esbuild.build({
    entryPoints: [join(here, "src/browser.mjs")], outfile: join(dist, "browser.mjs"),
    bundle: true, format: "esm", platform: "neutral", conditions: ["workerd", "worker"],
    external: ["cloudflare:workers", "*.wasm"], logLevel: "warning",
  });
  copyFileSync(createRequire(import.meta.url).resolve("partner-oauth/partner_oauth_bg.wasm"), join(dist, "partner_oauth_bg.wasm"));
  collector = await new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => { body += c; });
      req.on("end", () => { wire.push(JSON.parse(body)); res.end("ok"); });
    });
    server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` }));
  });
  sandbox = await startSandbox({ redirectUris: PROVIDERS.flatMap((p) => [`${ORIGIN}/app/${p}/callback`, `${ORIGIN}/plain/${p}/callback`]) });
  mf = new Miniflare({
    modules: true, scriptPath: join(dist, "browser.mjs"), modulesRoot: dist,
    modulesRules: [{ type: "ESModule", include: ["**/*.mjs", "**/*.js"] }, { type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2026-04-01",
    durableObjects: { APP: "AppConnection", PLAIN: "PlainConnection" },
    bindings: {
      CLIENTS: JSON.stringify(Object.fromEntries(PROVIDERS.map((p) => [p, sandboxClients(p).main]))),
      ENDPOINTS: JSON.stringify(Object.fromEntries(PROVIDERS.map((p) => [p, sandbox.endpoints(p)]))),
      STATE_KEY, TOKEN_KEYS, COLLECTOR: collector.url,
    },
    handleRuntimeStdio(stdout, stderr) {
      for (const stream of [stdout, stderr]) stream.on("data", (chunk) => { output += chunk; });
    },
  });
  await mf.ready;
});
after(async () => {
  await mf?.dispose();
  await sandbox?.close();
  collector?.server.close();
});

/** A request as a browser sends it, Fetch Metadata included (rebuilt inside workerd: /_test/relay). */
const call = (path, { method, headers, body } = {}) => mf.dispatchFetch(new URL("/_test/relay", ORIGIN), {
  method: "POST", redirect: "manual", body: JSON.stringify({ path, method, headers, body }),
});
const as = (user, init = {}) => ({ ...init, headers: { "x-test-user": user, ...init.headers } });
/** A browser's navigation (Fetch Metadata) on the app's own site. */
const NAV = { "sec-fetch-mode": "navigate", "sec-fetch-site": "same-origin", "sec-fetch-dest": "document", accept: "text/html,*/*;q=0.8" };
/** A form's POST from the app's page, as a browser sends it. */
const form = (user, extra = {}) => as(user, { method: "POST", ...extra, headers: { origin: ORIGIN, ...NAV, ...extra.headers } });
const post = (user, extra = {}) => as(user, { method: "POST", ...extra, headers: { origin: ORIGIN, ...extra.headers } });
const q = (label) => (label ? `?label=${encodeURIComponent(label)}` : "");

/** The consent page's Approve or Deny, as a browser would press it: the callback URL. */
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

/** POST connect → consent → { callback, cookie }. */
async function begin(user, provider, { label, decision, base = "/app" } = {}) {
  const start = await call(`${base}/${provider}/connect${q(label)}`, post(user));
  assert.equal(start.status, 303, await start.clone().text());
  const cookie = start.headers.get("set-cookie").split(";")[0];
  return { callback: await consent(start.headers.get("location"), decision), cookie };
}

const finish = (user, { callback, cookie }, headers = {}) => call(callback.replace(ORIGIN, ""), as(user, { headers: { cookie, ...headers } }));

async function connect(user, provider, options = {}) {
  const done = await finish(user, await begin(user, provider, options));
  assert.equal(done.status, 303, await done.clone().text());
}

const status = (user, provider, label, base = "/app") => call(`${base}/${provider}/status${q(label)}`, as(user));

// ---- 1. browser-facing routes -------------------------------------------------------

test("redirect: a denied consent, navigated, is 303 to returnTo with exactly ?provider&error, the cookie cleared", async () => {
  const response = await finish("nav-user", await begin("nav-user", "billit", { label: "denied", decision: "deny" }), NAV);
  assert.equal(response.status, 303);
  assert.equal(response.headers.get("location"), "/home?provider=billit&error=access_denied");
  assert.match(response.headers.get("set-cookie"), /^__Host-partner-oauth-billit=; .*Max-Age=0/);
  assert.equal(await response.text(), "");
});

test("redirect: a bad callback with provider text: only the code rides in the URL", async () => {
  const flow = await begin("nav-user", "billit", { label: "text" });
  const state = new URL(flow.callback).searchParams.get("state");
  const bad = `/app/billit/callback?${new URLSearchParams({ error: "server_error", error_description: "provider-text-9f1e <script>", state })}`;
  const response = await finish("nav-user", { callback: bad, cookie: flow.cookie }, NAV);
  assert.equal(response.status, 303);
  const location = response.headers.get("location");
  assert.match(location, /^\/home\?provider=billit&error=[a-z_]+$/);
  assert.doesNotMatch(location, /provider-text|script|server_error_description/);
  assert.match(response.headers.get("set-cookie"), /Max-Age=0/);
});

test("redirect: an expired flow (its cookie gone) and a forged cookie, navigated, are 303 with their codes", async () => {
  const flow = await begin("nav-user", "billit", { label: "expired" });
  const gone = await finish("nav-user", { ...flow, cookie: "" }, NAV);
  assert.equal(gone.status, 303);
  assert.equal(gone.headers.get("location"), "/home?provider=billit&error=missing_pending");
  const forged = await finish("nav-user", { ...flow, cookie: flow.cookie.replace(/.$/, (c) => (c === "A" ? "B" : "A")) }, NAV);
  assert.equal(forged.headers.get("location"), "/home?provider=billit&error=invalid_pending");
});

test("redirect: only navigations; no Accept, */*, or JSON first keep today's JSON", async () => {
  for (const headers of [{}, { accept: "*/*" }, { accept: "application/json, text/html" }, { "sec-fetch-mode": "cors", accept: "text/html" }]) {
    const flow = await begin("nav-user", "billit", { label: "json", decision: "deny" });
    const response = await finish("nav-user", flow, headers);
    assert.equal(response.status, 400, JSON.stringify(headers));
    assert.equal(response.headers.get("location"), null);
    assert.equal((await response.json()).error, "access_denied");
  }
  // No Fetch Metadata at all (an older browser): text/html first is a navigation.
  const old = await finish("nav-user", await begin("nav-user", "billit", { label: "old", decision: "deny" }), { accept: "text/html;q=0.9, */*" });
  assert.equal(old.headers.get("location"), "/home?provider=billit&error=access_denied");
});

test("redirect: a missing owner keeps its 401 (callback included) and a cross-site request its 403, no Location", async () => {
  const flow = await begin("nav-user", "billit", { label: "no-owner" });
  const anonymous = await call(flow.callback.replace(ORIGIN, ""), { headers: { cookie: flow.cookie, ...NAV } });
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.headers.get("location"), null);
  for (const route of ["connect", "disconnect"]) {
    for (const headers of [{ origin: "https://evil.example", "sec-fetch-site": "cross-site" }, { origin: "null" }]) {
      const response = await call(`/app/billit/${route}`, as("nav-user", { method: "POST", headers: { ...NAV, ...headers } }));
      assert.equal(response.status, 403, `${route} ${JSON.stringify(headers)}`);
      assert.equal(response.headers.get("location"), null);
    }
  }
});

test("redirect: a disconnect from a form is 303 to returnTo; from code, JSON as before", async () => {
  await connect("nav-user", "billit", { label: "form" });
  const response = await call(`/app/billit/disconnect${q("form")}`, form("nav-user"));
  assert.equal(response.status, 303);
  assert.equal(response.headers.get("location"), "/home");
  assert.equal((await (await status("nav-user", "billit", "form")).json()).state, "disconnected");
  // Again from a form: nothing to disconnect, a redirect with the code.
  const again = await call(`/app/billit/disconnect${q("form")}`, form("nav-user"));
  assert.equal(again.headers.get("location"), "/home?provider=billit&error=connection_not_found");
  await connect("nav-user", "billit", { label: "code" });
  const json = await call(`/app/billit/disconnect${q("code")}`, post("nav-user"));
  assert.equal(json.status, 200);
  assert.equal((await json.json()).status.state, "disconnected");
});

test("redirect: a returnTo with a query gets &provider&error; one that is no same-origin path falls back to JSON", async () => {
  const withQuery = await finish("nav-user", await begin("nav-user", "billit", { label: "query", decision: "deny" }), NAV);
  assert.equal(withQuery.headers.get("location"), "/home?tab=partners&provider=billit&error=access_denied");
  const evil = await finish("nav-user", await begin("nav-user", "billit", { label: "evil", decision: "deny" }), NAV);
  assert.equal(evil.status, 400);
  assert.equal(evil.headers.get("location"), null);
  assert.equal((await evil.json()).error, "access_denied");
  assert.match(evil.headers.get("set-cookie"), /Max-Age=0/);
});

test("redirect: onError's own Response is answered, the flow cookie still cleared", async () => {
  const response = await finish("nav-user", await begin("nav-user", "billit", { label: "own", decision: "deny" }), { ...NAV, "x-test-own-page": "1" });
  assert.equal(response.status, 418);
  assert.equal(await response.text(), "<p>own page: access_denied</p>");
  assert.match(response.headers.get("set-cookie"), /^__Host-partner-oauth-billit=; .*Max-Age=0/);
});

test("config: returnTo must be a same-origin path, checked by createConnections", async () => {
  const check = async (options) => (await (await mf.dispatchFetch(`${ORIGIN}/_test/config`, { method: "POST", body: JSON.stringify(options) })).json()).code;
  for (const bad of ["//evil.example", "/\\evil.example", "https://evil.example/", "evil", "", "/\t/evil", "/a\nb", "/a#b", "/a\\b", "/é"]) {
    assert.equal(await check({ returnTo: bad }), "invalid_config", JSON.stringify(bad));
  }
  for (const good of ["/", "/home", "/settings/partners?tab=1", "/a/b.c_d-e~%20"]) assert.equal(await check({ returnTo: good }), "ok", good);
  assert.equal(await check({ onError: "not a function" }), "invalid_config");
  for (const log of [{ level: "loud" }, { owner: "clear" }, { sink: "console" }, "debug"]) assert.equal(await check({ log }), "invalid_config", JSON.stringify(log));
});
