// Issue 27 in real workerd (Miniflare): partner-oauth/worker for browsers
// (error redirects to returnTo, onError), for operators (structured logs,
// scanned for every secret of the run) and an owner's list of connections.
// Its own Miniflare, sandbox and fixture (src/browser.mjs); workerd's whole
// output is captured, so every record any route wrote is read.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { createHmac } from "node:crypto";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { Miniflare } from "miniflare";
import { startSandbox, sandboxClients } from "partner-oauth/sandbox";
import { bundleFixture, bundledScript, sandboxBindings, tokenKey, consent, until } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist-browser");
const ORIGIN = "https://app.example.com";
const PROVIDERS = ["billit", "tropipay"];
const STATE_KEY = "browser-state-key-of-at-least-32-bytes!";
const TOKEN_KEYS = tokenKey("k1", 9);

let sandbox, mf, collector;
/** workerd's stdout and stderr, whole. */
let output = "";
/** Every provider request and answer the fixture made (src/browser.mjs, `recorded`). */
const wire = [];

before(async () => {
  await bundleFixture(join(here, "src/browser.mjs"), dist, { out: "browser.mjs" });
  collector = await new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => { body += c; });
      req.on("end", () => { wire.push(JSON.parse(body)); res.end("ok"); });
    });
    server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` }));
  });
  sandbox = await startSandbox({ redirectUris: PROVIDERS.flatMap((p) => [`${ORIGIN}/app/${p}/callback`, `${ORIGIN}/plain/${p}/callback`]) });
  mf = new Miniflare(mfOptions());
  await mf.ready;
});
/** The fixture's Miniflare options; `bindings` replace the defaults of the same name. */
const mfOptions = (bindings = {}) => ({
  ...bundledScript(dist, "browser.mjs"),
  durableObjects: { APP: "AppConnection", PLAIN: "PlainConnection" },
  bindings: {
    ...sandboxBindings(sandbox, PROVIDERS),
    STATE_KEY, TOKEN_KEYS, COLLECTOR: collector.url, SINK_MARK: "sink-env",
    ...bindings,
  },
  handleRuntimeStdio(stdout, stderr) {
    for (const stream of [stdout, stderr]) stream.on("data", (chunk) => { output += chunk; });
  },
});
after(async () => {
  if (process.env.W27_OUT) (await import("node:fs")).writeFileSync(process.env.W27_OUT, output);
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

/** POST connect → consent → { callback, cookie }. */
async function begin(user, provider, { label, decision, base = "/app" } = {}) {
  const start = await call(`${base}/${provider}/connect${q(label)}`, post(user));
  assert.equal(start.status, 303, await start.clone().text());
  const cookie = start.headers.get("set-cookie").split(";")[0];
  return { callback: await consent(start.headers.get("location"), decision), cookie };
}

/** The cookie with one MAC character changed (a middle one: the last carries padding bits). */
const forge = (cookie) => cookie.slice(0, -6) + (cookie.at(-6) === "A" ? "B" : "A") + cookie.slice(-5);
const finish = (user, { callback, cookie }, headers = {}) => call(callback.replace(ORIGIN, ""), as(user, { headers: { cookie, ...headers } }));

async function connect(user, provider, options = {}) {
  const done = await finish(user, await begin(user, provider, options));
  assert.equal(done.status, 303, await done.clone().text());
}

const status = (user, provider, label, base = "/app") => call(`${base}/${provider}/status${q(label)}`, as(user));

// ---- 1. browser-facing routes -------------------------------------------------------

/** The flow's redirect back as a denial that carries its state (Billit's own denial carries none). */
const deniedWithState = (flow) => {
  const state = new URL(flow.callback).searchParams.get("state");
  return { ...flow, callback: `/app/billit/callback?${new URLSearchParams({ error: "access_denied", state })}` };
};

test("redirect: a denied consent, navigated, is 303 to returnTo with exactly ?provider&error; the cookie cleared only by a denial that carries the flow's state", async () => {
  const response = await finish("nav-user", await begin("nav-user", "billit", { label: "denied", decision: "deny" }), NAV);
  assert.equal(response.status, 303);
  assert.equal(response.headers.get("location"), "/home?provider=billit&error=access_denied");
  // Billit's denial carries no state: as a forged one would, it leaves the cookie (review 35, finding A).
  assert.equal(response.headers.get("set-cookie"), null);
  assert.equal(await response.text(), "");
  const spent = await finish("nav-user", deniedWithState(await begin("nav-user", "billit", { label: "denied" })), NAV);
  assert.equal(spent.headers.get("location"), "/home?provider=billit&error=access_denied");
  assert.match(spent.headers.get("set-cookie"), /^__Host-partner-oauth-billit=; .*Max-Age=0/);
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
  const forged = await finish("nav-user", { ...flow, cookie: forge(flow.cookie) }, NAV);
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
  // No state on Billit's denial: the cookie stays to the flow (review 35, finding A).
  assert.equal(evil.headers.get("set-cookie"), null);
});

test("redirect: onError's own Response is answered, the flow cookie still cleared", async () => {
  const response = await finish("nav-user", deniedWithState(await begin("nav-user", "billit", { label: "own" })), { ...NAV, "x-test-own-page": "1" });
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

const listOf = async (owner, headers = {}) => call("/app", as(owner, { headers }));
const fromCode = async (what, owner) => (await mf.dispatchFetch(`${ORIGIN}/_test/${what}?owner=${encodeURIComponent(owner)}`)).json();
const rpc = async (name, method, ...args) => (await mf.dispatchFetch(`${ORIGIN}/_test/rpc`, { method: "POST", body: JSON.stringify({ name, method, args }) })).json();
const ownerIndex = (owner) => JSON.stringify(["partner-oauth:index", "owner", owner, ""]);

// ---- 3. structured logs ---------------------------------------------------------------

const sandboxAdmin = (route, body) => fetch(`${sandbox.url}/_sandbox/${route}`, { method: "POST", body: JSON.stringify(body) }).then((r) => r.json());
const random = (what) => `${what}-${crypto.randomUUID()}`;
/** Every log record workerd printed so far. */
const records = () => [...output.matchAll(/\{"level":"[a-z]+","at":"[^"]+".*?\}(?=\s*$)/gm)].map(([line]) => JSON.parse(line));
/** The owner as a hashed record shows it (worker-log.js). */
const ownerHash = (owner) => createHmac("sha256", `partner-oauth/worker log owner\0${STATE_KEY}`).update(owner).digest().subarray(0, 16).toString("base64url");

test("logs: a run through every route; no record holds a secret (raw, base64, base64url, percent- or JSON-escaped)", async () => {
  const owner = random("owner-secret");
  const label = random("label-secret");
  const secrets = new Set([STATE_KEY, TOKEN_KEYS, TOKEN_KEYS.slice(3), owner, label, ...PROVIDERS.map((p) => sandboxClients(p).main.clientSecret)]);
  const keep = (...values) => { for (const v of values) if (typeof v === "string" && v.length >= 8) secrets.add(v); };
  /** A flow's secrets: the code and state of its callback, the cookie and the pending value in it. */
  const flowSecrets = ({ callback, cookie }) => {
    const params = new URL(callback).searchParams;
    keep(params.get("code"), params.get("state"), cookie, cookie.split("=")[1]);
    keep(JSON.parse(Buffer.from(cookie.split("=")[1].split(".")[0], "base64url")).p);
  };

  // connect → callback → status → API (a query, a header, a cookie, a body) → disconnect (code, then a form).
  const flow = await begin(owner, "billit", { label });
  flowSecrets(flow);
  assert.equal((await finish(owner, flow)).status, 303);
  assert.equal((await status(owner, "billit", label)).status, 200);
  const query = random("query-secret");
  const header = random("header-secret");
  const cookie = random("cookie-secret");
  const body = random("body-secret");
  keep(query, header, cookie, body);
  const apiPath = `/app/billit/api/v1/orders?label=${encodeURIComponent(label)}&q=${query}`;
  assert.equal((await call(apiPath, as(owner, { headers: { "x-custom": header, cookie: `session=${cookie}`, accept: `application/json; x=${header}` } }))).status, 200);
  await call(apiPath, as(owner, { method: "POST", body, headers: { origin: ORIGIN, "content-type": "text/plain" } }));
  // A refused API call from a navigation, a cross-site connect, no owner, an unknown provider, a GET connect.
  assert.equal((await call(apiPath, as(owner, { headers: NAV }))).status, 403);
  assert.equal((await call(`/app/billit/connect?label=${query}`, as(owner, { method: "POST", headers: { origin: `https://${header}.example` } }))).status, 403);
  assert.equal((await call(`/app/billit/status?label=${query}`, { headers: { cookie: `session=${cookie}` } })).status, 401);
  assert.equal((await call(`/app/${query}/status`, as(owner))).status, 404);
  assert.equal((await call(`/app/billit/connect?label=${query}`, as(owner))).status, 403);
  assert.equal((await call(`/app/billit/disconnect?label=${query}`, as(owner))).status, 403);
  // Failed callbacks: denied (navigated), provider text, no cookie, a forged cookie, another owner's flow.
  const denied = await begin(owner, "billit", { label: "deny", decision: "deny" });
  flowSecrets({ ...denied, callback: `${ORIGIN}/?code=none-of-it&state=${new URL(denied.callback).searchParams.get("state")}` });
  assert.equal((await finish(owner, denied, NAV)).status, 303);
  const texted = await begin(owner, "billit", { label: "texted" });
  flowSecrets(texted);
  const text = random("provider-text-secret");
  keep(text);
  const bad = `/app/billit/callback?${new URLSearchParams({ error: "server_error", error_description: text, state: new URL(texted.callback).searchParams.get("state") })}`;
  await finish(owner, { callback: bad, cookie: texted.cookie });
  await finish(owner, { ...texted, cookie: "" });
  await finish(owner, { ...texted, cookie: forge(texted.cookie) });
  await finish("someone-else", texted);
  // onError's page, and a returnTo function whose answer is refused (a configuration error).
  await finish(owner, await begin(owner, "billit", { label: "own", decision: "deny" }), { ...NAV, "x-test-own-page": header });
  await finish(owner, await begin(owner, "billit", { label: "evil", decision: "deny" }), NAV);
  // A refresh, then a refused one (provider text in its error_description): refreshed, refresh_failed, exhausted.
  await sandboxAdmin("switch", { clientId: "billit-client", expiresIn: 2 });
  try {
    const refreshing = await begin(owner, "billit", { label: "refresh" });
    flowSecrets(refreshing);
    assert.equal((await finish(owner, refreshing)).status, 303);
    await until(() => records().some((r) => r.type === "refreshed"), "a refresh");
    await sandboxAdmin("switch", { clientId: "billit-client", refuseRefresh: true });
    await until(() => records().some((r) => r.type === "exhausted"), "a refused refresh");
  } finally {
    await sandboxAdmin("switch", { clientId: "billit-client", reset: true });
  }
  assert.equal((await call(`/app/billit/disconnect?label=${encodeURIComponent(label)}`, as(owner, { method: "POST", headers: { origin: ORIGIN } }))).status, 200);
  await connect(owner, "billit", { label: "form" });
  assert.equal((await call("/app/billit/disconnect?label=form", form(owner))).status, 303);
  // The list: the owner's, another site's, no owner's; then disconnectAll from code.
  assert.equal((await call("/app", as(owner))).status, 200);
  assert.equal((await call(`/app?q=${query}`, as(owner, { headers: { "sec-fetch-site": "cross-site", "x-custom": header } }))).status, 403);
  assert.equal((await call("/app", { headers: { cookie: `session=${cookie}` } })).status, 401);
  // A PKCE provider (a verifier on the wire), then the plain-owner instance, once.
  const pkce = await begin(owner, "tropipay");
  flowSecrets(pkce);
  assert.equal((await finish(owner, pkce)).status, 303);
  await connect("plain-owner", "billit", { base: "/plain" });
  assert.equal((await fromCode("disconnectAll", owner)).failed, 0);

  // Every secret that crossed the wire: the exchange's and refresh's bodies, Authorization, the answers' tokens and text.
  const tokens = await (await fetch(`${sandbox.url}/_sandbox/tokens`)).json();
  keep(...tokens.access, ...tokens.refresh);
  for (const { body: sent, headers, answer } of wire) {
    let fields;
    try {
      fields = Object.entries(JSON.parse(sent || "{}"));
    } catch {
      fields = [...new URLSearchParams(sent)];
    }
    for (const [name, value] of fields) if (!["grant_type", "redirect_uri", "client_id", "token_type_hint"].includes(name)) keep(value);
    const credential = Object.entries(headers).find(([name]) => name.toLowerCase() === "authorization")?.[1];
    if (credential) keep(credential, credential.split(" ")[1], Buffer.from(credential.split(" ")[1] ?? "", "base64").toString());
    try {
      const json = JSON.parse(answer);
      keep(json.access_token, json.refresh_token, json.id_token, json.error_description);
    } catch { /* not JSON: an API answer */ }
  }
  assert.ok(wire.some(({ body: sent }) => sent.includes("code_verifier")), "the scan holds the verifiers");
  assert.ok(wire.some(({ answer }) => answer.includes("error_description")), "the scan holds a provider's text");

  const all = records();
  const events = new Set(all.map((r) => r.type ?? r.event));
  for (const expected of ["connected", "refreshed", "refresh_failed", "exhausted", "disconnected", "request_refused", "config_error"]) {
    assert.ok(events.has(expected), `a ${expected} record (${[...events]})`);
  }
  for (const route of ["connect", "callback", "status", "disconnect", "api", "list"]) assert.ok(all.some((r) => r.route === route), `a record of the ${route} route`);
  // Refused requests are info; the owner is hashed (and found: the scan reads what was written).
  assert.ok(all.filter((r) => r.event === "request_refused" && r.status < 500).every((r) => r.level === "info"));
  assert.ok(all.some((r) => r.owner === ownerHash(owner) && r.type === "connected"));
  assert.ok(all.some((r) => r.owner === "plain-owner" && r.type === "connected"), "log.owner: plain");
  assert.ok(output.includes(ownerHash(owner)));
  const forms = (s) => [s, Buffer.from(s).toString("base64"), Buffer.from(s).toString("base64url"), encodeURIComponent(s), JSON.stringify(s).slice(1, -1)];
  const found = [];
  for (const secret of secrets) for (const form of forms(secret)) if (output.includes(form)) found.push(`${secret} as ${form}`);
  assert.deepEqual(found, [], `secrets in workerd's output (${secrets.size} secrets scanned over ${all.length} records)`);
  assert.ok(secrets.size > 40, `secrets scanned: ${secrets.size}`);
});

// ---- 2. an owner's connections ---------------------------------------------------------

test("list: GET {basePath} lists the owner's connections (provider, label, state, next refresh, last error, reconnect), no-store, no token", async () => {
  const owner = random("lister");
  await connect(owner, "billit", { label: "one" });
  await connect(owner, "tropipay");
  await connect(random("other"), "billit", { label: "theirs" });
  const response = await listOf(owner);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("cache-control"), "no-store");
  const text = await response.text();
  const { connections } = JSON.parse(text);
  const sorted = connections.sort((a, b) => a.provider.localeCompare(b.provider));
  assert.deepEqual(sorted.map(({ provider, label, state, lastError }) => ({ provider, label, state, lastError })), [
    { provider: "billit", label: "one", state: "active", lastError: null },
    { provider: "tropipay", label: "", state: "active", lastError: null },
  ]);
  assert.ok(sorted.every((c) => Object.keys(c).sort().join() === "label,lastError,nextRefreshAt,provider,reconnect,state" && c.nextRefreshAt > Date.now() - 60000));
  const tokens = await (await fetch(`${sandbox.url}/_sandbox/tokens`)).json();
  assert.ok([...tokens.access, ...tokens.refresh].every((t) => !text.includes(t)));
  assert.deepEqual(await fromCode("list", owner), connections);
  // Not listed once disconnected.
  await call(`/app/billit/disconnect?label=one`, post(owner));
  assert.deepEqual((await (await listOf(owner)).json()).connections.map((c) => c.provider), ["tropipay"]);
});

test("list: another site's request is 403, no owner 401", async () => {
  for (const headers of [{ "sec-fetch-site": "cross-site" }, { origin: "https://evil.example" }, { "sec-fetch-site": "same-site" }]) {
    assert.equal((await listOf("lister-x", headers)).status, 403, JSON.stringify(headers));
  }
  assert.equal((await call("/app")).status, 401);
  assert.equal((await listOf("lister-x", { ...NAV })).status, 200);
});

test("cap: connects past maxConnections (3 here) are too_many_connections (409); a reconnect is not, and a disconnect frees no slot before its reservation lapses", async () => {
  const owner = random("capped");
  for (const label of ["a", "b"]) await connect(owner, "billit", { label, base: "/plain" });
  assert.equal((await call("/plain/billit/connect?label=c", post(owner))).status, 303);
  const over = await call("/plain/billit/connect?label=d", post(owner));
  assert.equal(over.status, 409);
  assert.equal((await over.json()).error, "too_many_connections");
  const navigated = await call("/plain/billit/connect?label=d", form(owner));
  assert.equal(navigated.headers.get("location"), "/?provider=billit&error=too_many_connections");
  // The same label again holds the same slot.
  assert.equal((await call("/plain/billit/connect?label=a", post(owner))).status, 303);
  assert.equal((await call("/plain/billit/connect?label=c", post(owner))).status, 303);
  // A connection disconnected keeps its slot until its connect's reservation
  // lapses: a flow of its label may still land until then (reviews 73, 75;
  // the lapse itself: tests/node/owner-index.test.mjs).
  for (const label of ["b", "a"]) await call(`/plain/billit/disconnect?label=${label}`, post(owner));
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal((await call("/plain/billit/connect?label=d", post(owner))).status, 409);
});

test("S1 (review 60): a flow's slot outlasts the exchange of its last-second callback, so a connect meanwhile cannot pass maxConnections", async () => {
  // Flows of 4 s and an exchange of 3 s (timeoutMs 10 s) in a Miniflare of
  // their own; the callback comes in the flow's last second.
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const saved = mf;
  mf = new Miniflare(mfOptions({ STATE_MAX_AGE: "4", TIMEOUT_MS: "10000" }));
  try {
    const owner = random("s1");
    for (const label of ["a", "b"]) await connect(owner, "billit", { label, base: "/plain" });
    while (Date.now() % 1000 > 100) await sleep(5);
    const t0 = Date.now();
    // Its flow ends at the core's flowExpiresAt: 5 s after the start's whole second.
    const flow = await begin(owner, "billit", { label: "c", base: "/plain" });
    await sandboxAdmin("switch", { clientId: "billit-client", delayMs: 3000 });
    try {
      await sleep(t0 + 4000 - Date.now());
      const finished = finish(owner, flow);
      // Past the flow's end, while its exchange still runs.
      await sleep(t0 + 5600 - Date.now());
      const over = await call("/plain/billit/connect?label=d", post(owner));
      // Read now: an answer left unread while the exchange runs was found spent.
      const refusal = await over.text();
      assert.equal((await finished).status, 303);
      assert.equal(over.status, 409, "a fourth connection got a slot");
      assert.equal(JSON.parse(refusal).error, "too_many_connections");
    } finally {
      await sandboxAdmin("switch", { clientId: "billit-client", reset: true });
    }
  } finally {
    await mf.dispose();
    mf = saved;
  }
});

test("disconnectAll: every connection of the owner ends, none of another's", async () => {
  const owner = random("leaving");
  const other = random("staying");
  await connect(owner, "billit", { label: "x" });
  await connect(owner, "tropipay");
  await connect(other, "billit", { label: "x" });
  assert.deepEqual(await fromCode("disconnectAll", owner), { disconnected: 2, failed: 0 });
  assert.deepEqual(await fromCode("list", owner), []);
  assert.equal((await (await status(owner, "billit", "x")).json()).state, "disconnected");
  assert.equal((await (await status(other, "billit", "x")).json()).state, "active");
});

test("attack: owner index confusion: its RPC takes only that owner's keys, and no connection or company index is one", async () => {
  const victim = random("victim");
  await connect(victim, "billit", { label: "v" });
  const mallorys = JSON.stringify(["mallory", "billit", "v"]);
  // Another owner's key on the victim's index: refused, nothing listed.
  assert.equal((await rpc(ownerIndex(victim), "index", ownerIndex(victim), "record", mallorys, { live: true })).value.error.code, "connection_not_found");
  assert.deepEqual((await fromCode("list", victim)).map((c) => c.label), ["v"]);
  // A connection's object is no index; an owner index takes no company operation, a company index no owner's.
  const key = JSON.stringify([victim, "billit", "v"]);
  assert.equal((await rpc(key, "index", key, "list")).value.error.code, "connection_not_found");
  assert.equal((await rpc(ownerIndex(victim), "index", ownerIndex(victim), "claim", key)).value.error.code, "invalid_argument");
  const company = JSON.stringify(["partner-oauth:index", "company", "billit", victim]);
  assert.equal((await rpc(company, "index", company, "list")).value.error.code, "invalid_argument");
  // A name given for another object is refused (the name must be this very object's).
  assert.equal((await rpc(ownerIndex(victim), "index", ownerIndex("mallory"), "list")).value.error.code, "connection_not_found");
  assert.equal((await rpc(ownerIndex(victim), "status", ownerIndex(victim))).value.error.code, "connection_not_found");
  // An owner named like the index, or a label that spells it, is a connection of its own.
  const lookalike = await call(`/app/billit/connect?label=${encodeURIComponent(ownerIndex(victim))}`, post("partner-oauth:index"));
  assert.equal(lookalike.status, 303);
  assert.deepEqual((await fromCode("list", victim)).map((c) => c.label), ["v"]);
});

test("attack: another site's link to the callback chooses no label: its ?label= never reaches returnTo", async () => {
  // A cross-site navigation (a link on evil.example) to the callback, the victim signed in, no flow:
  // the provider's redirect never carries ?label=, so the error redirect may use only the flow's label.
  const crossSite = { ...NAV, "sec-fetch-site": "cross-site" };
  const planted = await call("/app/billit/callback?label=query&error=access_denied", as("nav-user", { headers: crossSite }));
  assert.equal(planted.status, 303);
  assert.equal(planted.headers.get("location"), "/home?provider=billit&error=missing_pending");
  // A label that makes the app's returnTo give a bad target: not the attacker's to pick either.
  const bad = await call("/app/billit/callback?label=evil", as("nav-user", { headers: crossSite }));
  assert.equal(bad.status, 303);
  assert.equal(bad.headers.get("location"), "/home?provider=billit&error=missing_pending");
});

test("attack: disconnectAll (an account's deletion) ends a flow in progress too: its callback afterwards stores no connection", async () => {
  const owner = random("deleting");
  await connect(owner, "billit", { label: "live" });
  // Consent given at the provider, the callback not yet followed, when the account is deleted.
  const pending = await begin(owner, "billit", { label: "in-flight" });
  assert.deepEqual(await fromCode("disconnectAll", owner), { disconnected: 1, failed: 0 });
  await finish(owner, pending);
  assert.deepEqual(await fromCode("list", owner), []);
  assert.notEqual((await (await status(owner, "billit", "in-flight")).json()).state, "active");
});

test("review76: a disconnect while a consent is being exchanged ends it: the callback stores no connection and keeps no slot past its reservation", async () => {
  const owner = random("exchanging");
  const flow = await begin(owner, "billit", { label: "mid" });
  await sandboxAdmin("switch", { clientId: "billit-client", delayMs: 1500 });
  try {
    const finished = finish(owner, flow);
    await new Promise((resolve) => setTimeout(resolve, 500)); // the exchange is running
    await call("/app/billit/disconnect?label=mid", post(owner));
    const answer = await finished;
    const text = await answer.text();
    assert.notEqual(answer.status, 303, text);
    assert.match(text, /connection_not_found/);
  } finally {
    await sandboxAdmin("switch", { clientId: "billit-client", reset: true });
  }
  assert.notEqual((await (await status(owner, "billit", "mid")).json()).state, "active");
  assert.deepEqual(await fromCode("list", owner), []);
});

// ---- a newcomer's findings (fx27a) -------------------------------------------------------

test("R27-3: a label with a control or non-printable character is refused at connect and on every route", async () => {
  const owner = random("labeller");
  for (const label of ["\n//evil", "a\tb", "nul\u0000", "del\u007f", "c1\u0085", "zw\u200b", "rtl\u202e", "ls\u2028", "ps\u2029"]) {
    const connected = await call(`/app/billit/connect${q(label)}`, post(owner));
    assert.equal(connected.status, 400, JSON.stringify(label));
    assert.equal((await connected.json()).error, "invalid_argument");
    for (const [action, init] of [["status", as(owner)], ["disconnect", post(owner)], ["api/v1/orders", as(owner)]]) {
      const response = await call(`/app/billit/${action}${q(label)}`, init);
      assert.equal(response.status, 400, `${action} ${JSON.stringify(label)}`);
      assert.equal((await response.json()).error, "invalid_argument");
    }
  }
  assert.equal((await call("/app/billit/connect?label=%0a%2F%2Fevil", post(owner))).status, 400);
  assert.deepEqual(await fromCode("list", owner), []);
  // Printable labels, accents and symbols included, still connect.
  assert.equal((await call(`/app/billit/connect${q("Büro 2 ✓")}`, post(owner))).status, 303);
});

test("R27-4: every JSON answer of the routes is nosniff and no-store, errors included", async () => {
  const owner = random("sniffed");
  await connect(owner, "billit", { label: "json" });
  const answers = {
    "status 200": await status(owner, "billit", "json"),
    "disconnect 200": await call("/app/billit/disconnect?label=json", post(owner)),
    "cross-site 403": await call("/app/billit/connect", as(owner, { method: "POST", headers: { origin: "https://evil.example" } })),
    "no owner 401": await call("/app/billit/status"),
    "unknown provider 404": await call("/app/nobody/status", as(owner)),
    "not found 404": await status(owner, "billit", "never"),
    "list 403": await listOf(owner, { "sec-fetch-site": "cross-site" }),
    "list 200": await listOf(owner),
  };
  for (const [what, response] of Object.entries(answers)) {
    assert.match(response.headers.get("content-type"), /^application\/json/, what);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff", what);
    assert.equal(response.headers.get("cache-control"), "no-store", what);
  }
});

test("logs: status is the one answered (a navigation's 303); a refused returnTo answer is config_error naming the option", async () => {
  const owner = random("statused");
  const hash = ownerHash(owner);
  assert.equal((await finish(owner, await begin(owner, "billit", { label: "denied", decision: "deny" }), NAV)).status, 303);
  const mine = () => records().filter((r) => r.owner === hash && r.route === "callback");
  const denied = await until(() => mine().find((r) => r.code === "access_denied"), "the denied record");
  assert.equal(denied.status, 303);
  assert.equal((await finish(owner, await begin(owner, "billit", { label: "evil", decision: "deny" }), NAV)).status, 400);
  const config = await until(() => mine().find((r) => r.event === "config_error"), "the config_error record");
  assert.equal(config.option, "returnTo");
  assert.equal(config.status, 400);
  assert.ok(mine().filter((r) => r.code === "access_denied").some((r) => r.status === 400));
});

test("logs: sink(record, env) gets env in the Worker (request_refused) and in the object (state_changed)", async () => {
  const owner = random("sinker");
  await connect(owner, "billit", { base: "/plain" });
  assert.equal((await call("/plain/billit/status?label=none", as(owner))).status, 404);
  const mine = () => records().filter((r) => r.owner === owner);
  await until(() => mine().some((r) => r.type === "connected") && mine().some((r) => r.event === "request_refused"), "both records");
  for (const record of mine()) assert.equal(record.sinkEnv, "sink-env", JSON.stringify(record));
});

test("ownerHash(env, owner) is the hash log records show", async () => {
  const owner = random("hashed");
  const response = await mf.dispatchFetch(`${ORIGIN}/_test/ownerHash?owner=${encodeURIComponent(owner)}`);
  assert.equal(response.status, 200);
  assert.equal(await response.json(), ownerHash(owner));
});

test("list: lastError has ConnectionStatus's shape, { code, at } or null", async () => {
  const owner = random("flaky");
  await sandboxAdmin("switch", { clientId: "billit-client", expiresIn: 2 });
  try {
    await connect(owner, "billit", { label: "flaky" });
    await sandboxAdmin("switch", { clientId: "billit-client", unavailable: { on: "token", status: 503, times: 1000 } });
    const row = await until(async () => (await fromCode("list", owner)).find((r) => r.lastError !== null), "a listed last error");
    assert.equal(typeof row.lastError.code, "string");
    assert.equal(typeof row.lastError.at, "number");
    const status = await (await call("/app/billit/status?label=flaky", as(owner))).json();
    assert.deepEqual(Object.keys(row.lastError).sort(), Object.keys(status.lastError ?? row.lastError).sort());
  } finally {
    await sandboxAdmin("switch", { clientId: "billit-client", reset: true });
  }
});

// A newcomer's starter with TOKEN_KEYS left empty saw only `vault_key_error`
// in the log (a warn-level request_refused), not which secret to set. Last in
// the file: it restarts workerd.
test("logs: a missing or malformed TOKEN_KEYS is a config_error naming the keys option, at error level", async () => {
  const owner = random("keyless");
  try {
    for (const keys of ["", "not-a-key"]) {
      await mf.setOptions(mfOptions({ TOKEN_KEYS: keys }));
      const start = await call("/plain/billit/connect?label=keyless", post(owner));
      assert.equal(start.status, 500, keys);
      assert.equal((await start.json()).error, "vault_key_error");
    }
    const mine = () => records().filter((r) => r.owner === owner && r.route === "connect");
    await until(() => mine().length >= 2, "both records");
    for (const record of mine()) {
      assert.deepEqual({ level: record.level, event: record.event, code: record.code, option: record.option, status: record.status },
        { level: "error", event: "config_error", code: "vault_key_error", option: "keys", status: 500 });
    }
  } finally {
    await mf.setOptions(mfOptions());
  }
});
