// Review 37: an outside attack on partner-oauth/worker as the README and the
// starter deploy it (routes, cookies, owners, the object, refreshes, error
// answers, size limits). Each "finding" test failed when it was committed;
// no fix is in its commit. Review 38's tests (an attack on those fixes)
// follow them. Fixture: src/review37.mjs (default log level).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { tmpdir } from "node:os";
import { Miniflare } from "miniflare";
import { startSandbox } from "partner-oauth/sandbox";
import { bundleFixture, bundledScript, sandboxBindings, tokenKey, consent, until } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist", "review37"); // under the ignored dist/
const ORIGIN = "https://worker.example.com";
const PROVIDERS = ["billit", "factorial", "payfit", "payout", "tropipay"];
const STATE_KEY = "worker-state-key-of-at-least-32-bytes!";

let sandbox, mf, upstream, persist, options;
let output = "";

before(async () => {
  await bundleFixture(join(here, "src/review37.mjs"), dist);
  persist = mkdtempSync(join(tmpdir(), "po-review37-"));
  // A provider's API answers the sandbox never gives, through the fixture's relay.
  upstream = await new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      req.resume();
      // A path that refuses every token (a resource the grant does not reach).
      // /denied-slow answers so 800 ms late.
      if (req.url.startsWith("/denied")) {
        const refuse = () => res.writeHead(401, { "www-authenticate": 'Bearer error="invalid_token"', "content-type": "application/json" }).end('{"error":"invalid_token"}');
        return req.on("end", () => setTimeout(refuse, req.url.startsWith("/denied-slow") ? 800 : 0));
      }
      req.on("end", () => res.writeHead(200, {
        "content-type": "application/json",
        "cache-control": "public, max-age=3600",
        "last-modified": new Date(Date.now() - 86_400_000).toUTCString(),
      }).end(JSON.stringify({ employees: ["alice's payroll"] })));
    });
    server.listen(0, "127.0.0.1", () => resolve({ server, port: server.address().port }));
  });
  sandbox = await startSandbox({ redirectUris: PROVIDERS.flatMap((p) => [`${ORIGIN}/connections/${p}/callback`, `${ORIGIN}/wrong/${p}/callback`]) });
  options = {
    ...bundledScript(dist),
    durableObjects: { CONNECTIONS: "Connection", WRONG: "WrongConnection" },
    bindings: { ...sandboxBindings(sandbox, PROVIDERS), STATE_KEY, TOKEN_KEYS: tokenKey("k1", 1), ORIGIN },
    durableObjectsPersist: persist,
    handleRuntimeStdio(stdout, stderr) {
      for (const stream of [stdout, stderr]) stream.on("data", (chunk) => { output += chunk; });
    },
  };
  mf = new Miniflare(options);
  await mf.ready;
});
after(async () => {
  await mf?.dispose();
  await sandbox?.close();
  upstream?.server.close();
  if (persist) rmSync(persist, { recursive: true, force: true });
});

const call = (path, init = {}) => mf.dispatchFetch(new URL(path, ORIGIN), { redirect: "manual", ...init });
const as = (user, init = {}) => ({ ...init, headers: { "x-test-user": user, ...init.headers } });
const admin = (route, body) => fetch(`${sandbox.url}/_sandbox/${route}`, { method: "POST", body: JSON.stringify(body) }).then((r) => r.json());
/** The log records the default sink wrote (one JSON line each). */
const records = () => output.split("\n").flatMap((line) => {
  const at = line.indexOf("{");
  try { return at < 0 ? [] : [JSON.parse(line.slice(at))]; } catch { return []; }
});

/** The provider's refresh grants answered, for all of this file's connections of it. */
const refreshCount = async (provider) => (await (await fetch(`${sandbox.url}/_sandbox/stats`)).json())[provider]?.refresh_token ?? 0;
/** `count()` once it holds still for 1.5 s: an earlier test's short-lived token (its alarm's refresh) is not this test's. */
async function quiet(count) {
  for (let last = await count(); ;) {
    await new Promise((r) => setTimeout(r, 1500));
    const now = await count();
    if (now === last) return now;
    last = now;
  }
}

/** POST connect → consent → the provider's redirect back (a URL on ORIGIN) and the flow cookie. */
async function begin(user, provider, { label, base = "/connections" } = {}) {
  const query = new URLSearchParams({ ...(label && { label }) });
  const start = await call(`${base}/${provider}/connect?${query}`, as(user, { method: "POST", headers: { origin: ORIGIN } }));
  assert.equal(start.status, 303, await start.clone().text());
  return { callback: await consent(start.headers.get("location")), cookie: start.headers.get("set-cookie").split(";")[0] };
}
async function connect(user, provider, label) {
  const flow = await begin(user, provider, { label });
  const done = await call(flow.callback.replace(ORIGIN, ""), as(user, { headers: { cookie: flow.cookie } }));
  assert.equal(done.status, 303, await done.clone().text());
}

/** Raw bytes on one socket to workerd; `end` half-closes after them. The answer's status, head and body. */
async function sendRaw(text, { end = false } = {}) {
  const entry = await mf.ready;
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(entry.port), entry.hostname, () => { socket.write(text); if (end) socket.end(); });
    const chunks = [];
    const answer = () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf("\r\n\r\n");
      const head = split < 0 ? all.toString() : all.subarray(0, split).toString();
      const body = split < 0 ? "" : all.subarray(split + 4).toString();
      const length = Number(head.match(/^content-length: *(\d+)/im)?.[1] ?? NaN);
      return { status: Number(head.split(" ")[1]), head, body, complete: Buffer.byteLength(body) >= length };
    };
    socket.setTimeout(5000, () => socket.destroy());
    socket.on("data", (chunk) => { chunks.push(chunk); if (answer().complete) socket.destroy(); });
    socket.on("error", reject);
    socket.on("close", () => resolve(answer()));
  });
}

// Finding A. The API route reads an upload with readCapped, whose reader
// rejects when the client ends before its Content-Length or last chunk; the
// route catches OAuthError only, so the runtime's error escapes handle():
// an untyped 500 (Cloudflare's 1101), and under Miniflare / wrangler dev the
// runtime's message and a stack line with a local path. Any signed-in user
// causes it at will with one socket. The starter's /signin had the same
// defect (third starter review, finding 12); the module's body reader was
// not fixed with it.
test("review37 finding A: an API-route upload cut short (the client ends before its length or last chunk) is a typed 4xx, not an untyped 500", async () => {
  for (const [framing, body] of [["Content-Length: 100", '{"a":1}'], ["Transfer-Encoding: chunked", '7\r\n{"a":1}\r\n']]) {
    const response = await sendRaw(`POST /connections/billit/api/v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${ORIGIN}\r\nx-test-user: alice\r\nContent-Type: application/json\r\n${framing}\r\n\r\n${body}`, { end: true });
    assert.ok(response.status >= 400 && response.status < 500, `${framing}: ${response.status} ${response.body}`);
    assert.doesNotMatch(response.body, /TypeError|Network connection lost|at async|file:/);
  }
});

// Finding B. Every JSON answer of the module is no-store ("it is one owner's",
// R27-4), but the API route's answer, one owner's data fetched with that
// owner's token, passes the provider's Cache-Control and Last-Modified and
// adds nothing. A provider that says `public, max-age=…` (or none, with a
// Last-Modified: heuristic freshness) makes the answer cacheable under a URL
// that is the same for every owner (`/connections/:provider/api/…`): on a
// shared browser, the next user signed in to the app is served the previous
// user's data from the HTTP cache without the Worker being asked; a shared
// cache in front of the app may serve it to anyone.
test("review37 finding B: the API route's answer (one owner's data) is never cacheable, whatever the provider's Cache-Control", async () => {
  await connect("alice", "billit", "r37-b");
  const answer = await call(`/connections/billit/api/v1/_relay/${upstream.port}/employees?label=r37-b`, as("alice"));
  assert.equal(answer.status, 200, await answer.clone().text());
  const cache = answer.headers.get("cache-control") ?? "";
  assert.match(cache, /no-store/, `the proxied answer's Cache-Control: ${JSON.stringify(cache)}`);
  assert.doesNotMatch(cache, /public|max-age=[1-9]/);
});

// Finding C. lifecycle.js's DEAD set ends a connection at once on
// `invalid_client` from the token endpoint as on `invalid_grant`. But
// invalid_client (RFC 6749 §5.2) says the app's own credentials failed, not
// that the user's grant is gone: a client secret rotated at the provider
// minutes before the Worker's secret is updated (the usual order of a
// rotation), or one mistyped in `wrangler secret put`, makes every connection
// that refreshes meanwhile `exhausted` for good, with its refresh token
// still valid at the provider. Fixing the secret brings none back: every
// user must reconnect.
test("review37 finding C: an invalid_client refresh (the app's own secret, wrong for a while) does not end the user's grant", async () => {
  await admin("switch", { clientId: "billit-client", expiresIn: 2 });
  try {
    await connect("carol", "billit", "r37-c");
    const api = () => call("/connections/billit/api/v1/orders?label=r37-c", as("carol"));
    assert.equal((await api()).status, 200);
    const secret = (value) => call("/_test/secret", { method: "POST", body: JSON.stringify({ owner: "carol", provider: "billit", label: "r37-c", secret: value }) });
    // The operator's secret is wrong while the token expires; a call needs a refresh.
    assert.equal((await secret("billit-secret-rotated-away")).status, 200);
    await new Promise((r) => setTimeout(r, 2500));
    const during = await api();
    const refused = await during.json();
    // The secret is put right: the grant, still valid at the provider, works again.
    await secret(null);
    const after = await until(async () => {
      const response = await api();
      const status = await (await call("/connections/billit/status?label=r37-c", as("carol"))).json();
      return response.status === 200 || status.state === "exhausted" ? { status: response.status, state: status.state } : null;
    }, "the connection to work again or be exhausted", 12000);
    assert.deepEqual(after, { status: 200, state: "active" }, `after invalid_client (${during.status} ${refused.error}) and the secret fixed`);
  } finally {
    await admin("switch", { clientId: "billit-client", reset: true });
  }
});

// Finding D. Failures only the operator can cure answer 4xx and are logged as
// a `request_refused` at "info", below the default level ("warn"): nothing
// at all reaches the log. A mistyped client secret fails every user's
// callback with 400 invalid_client (after the consent: the user did it all
// for nothing); a misspelled `environment` fails every connect with 400
// unknown_environment. 6546556 made TOKEN_KEYS' vault_key_error a
// config_error at error level for this very reason; these stayed silent.
test("review37 finding D: a mistyped client secret (invalid_client at every callback) is a 5xx logged at the default level", async () => {
  // The control: a 5xx of the API route (a provider that cannot be reached) is written at the default level.
  await connect("dave", "billit", "r37-d-control");
  const unreachable = await call("/connections/billit/api/v1/_relay/1/x?label=r37-d-control", as("dave"));
  assert.equal(unreachable.status, 502);
  await until(() => records().some((r) => r.route === "api" && r.code === "network_error" && r.level === "warn"), "the control's record", 5000);
  const flow = await begin("dave", "billit", { label: "r37-d", base: "/wrong" });
  const done = await call(flow.callback.replace(ORIGIN, ""), as("dave", { headers: { cookie: flow.cookie } }));
  const body = await done.json();
  assert.equal(body.error, "invalid_client");
  await new Promise((r) => setTimeout(r, 300));
  const logged = records().filter((r) => r.route === "callback" && r.code === "invalid_client");
  assert.ok(logged.length > 0, `no log record at the default level for invalid_client at the callback (answered ${done.status})`);
  assert.ok(done.status >= 500, `answered ${done.status}: the user's request was not at fault`);
});

test("review37 finding D: a misspelled environment (unknown_environment at every connect) is a 5xx logged at the default level", async () => {
  const start = await call("/wrong/factorial/connect", as("dave", { method: "POST", headers: { origin: ORIGIN } }));
  const body = await start.json();
  assert.equal(body.error, "unknown_environment");
  await new Promise((r) => setTimeout(r, 300));
  const logged = records().filter((r) => r.route === "connect" && r.code === "unknown_environment");
  assert.ok(logged.length > 0, `no log record at the default level for unknown_environment at connect (answered ${start.status})`);
  assert.ok(start.status >= 500, `answered ${start.status}: the user's request was not at fault`);
});

// ---- what held -------------------------------------------------------------

// Review 36's fix (an over-long callback URL is the request's own: 414):
// the edge at 16,384 / 16,385 characters of the URL the core reads, junk
// path segments after /callback, a navigation (the redirect, code only), and
// the flow cookie left to the flow in progress each time.
test("review37 held: the 414 of an over-long callback URL, at its edge, by path or query, as JSON or a navigation's redirect, leaves the flow", async () => {
  const flow = await begin("erin", "billit", { label: "r37-h1" });
  const sized = (length, prefix = "/connections/billit/callback?code=x&state=") => {
    const head = `${ORIGIN}${prefix}`;
    return prefix + "a".repeat(length - head.length);
  };
  const json = async (path, headers = {}) => {
    const answer = await call(path, as("erin", { headers: { cookie: flow.cookie, ...headers } }));
    return { status: answer.status, cookie: answer.headers.get("set-cookie"), location: answer.headers.get("location"), body: answer.status === 303 ? null : await answer.json() };
  };
  const atLimit = await json(sized(16_384));
  assert.equal(atLimit.status, 400);
  assert.notEqual(atLimit.body.error, "input_too_large");
  for (const path of [sized(16_385), sized(16_385, `/connections/billit/callback/${"b".repeat(100)}?state=`)]) {
    const over = await json(path);
    assert.deepEqual([over.status, over.body.error, over.cookie], [414, "input_too_large", null]);
  }
  // A navigation, on a socket (fetch() sets Sec-Fetch-Mode itself).
  const navigated = await sendRaw(`GET ${sized(20_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\nx-test-user: erin\r\nCookie: ${flow.cookie}\r\nSec-Fetch-Mode: navigate\r\nSec-Fetch-Site: cross-site\r\nConnection: close\r\n\r\n`);
  assert.equal(navigated.status, 303, navigated.head);
  assert.match(navigated.head, /^location: \/\?provider=billit&error=input_too_large\r?$/im);
  assert.doesNotMatch(navigated.head, /set-cookie/i);
  const done = await call(flow.callback.replace(ORIGIN, ""), as("erin", { headers: { cookie: flow.cookie } }));
  assert.equal(done.status, 303, await done.clone().text());
});

// Review 37's unconfirmed suspicion, hardened: the list route refuses another
// site's request, the status route did not, so another site could probe
// (200 or 404) whether a signed-in user has a connection under a label.
test("review37 hardening: the status route answers the app's own pages only, as the list does", async () => {
  await connect("erin", "billit", "r37-s");
  const status = (label, headers) => call(`/connections/billit/status?label=${label}`, as("erin", { headers }));
  for (const headers of [{ "sec-fetch-site": "cross-site" }, { "sec-fetch-site": "same-site" }, { origin: "https://evil.example" }]) {
    for (const label of ["r37-s", "r37-none"]) {
      const answer = await status(label, headers);
      assert.equal(answer.status, 403, `${label} ${JSON.stringify(headers)}`);
      assert.equal((await answer.json()).error, "cross_site_request");
    }
  }
  // The app's own page, and code with no Fetch Metadata, still read it.
  assert.equal((await status("r37-s", { "sec-fetch-site": "same-origin" })).status, 200);
  assert.equal((await status("r37-s", {})).status, 200);
});

// Review 38 (an outside attack on review 37's fixes), finding A. worker-log.js now logs every `invalid_client` a route answers as
// a config_error at "error" (option "providers": "the app's client credentials
// are wrong") and worker-routes.js answers it 502. But the API route's error
// can be the provider API's own word: check_api_response turns any 401 whose
// body says {"error":"invalid_client"} into that code. Factorial's API base
// (https://api.factorialhr.com) holds its token endpoint (/oauth/token), as
// Billit's and Tropipay's do; the sandbox mirrors it. Any signed-in user with a
// Factorial connection POSTs /connections/factorial/api/oauth/token (their own
// request: same Origin): the token endpoint, given a bearer token and no client
// credentials, answers 401 invalid_client. Each such request is an error-level
// "your Factorial credentials are wrong" record and a 5xx, at will, while the
// credentials are right: a false page to the operator (and a reason to rotate a
// working secret), and cover for a real one.
test("review38 finding A: a user's own API-route call that the provider answers 401 invalid_client is not an operator's config_error nor a 5xx", async () => {
  await connect("mallory", "factorial", "r38-a");
  const before = records().length;
  const answer = await call("/connections/factorial/api/oauth/token?label=r38-a", as("mallory", {
    method: "POST", headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=client_credentials",
  }));
  const body = await answer.json();
  assert.equal(body.error, "invalid_client", JSON.stringify(body));
  // The app's credentials are right: the same connection's API works.
  const fine = await call("/connections/factorial/api/api/v1/employees?label=r38-a", as("mallory"));
  assert.notEqual(fine.status, 502, await fine.clone().text());
  await new Promise((r) => setTimeout(r, 300));
  const alarms = records().slice(before).filter((r) => r.event === "config_error" && r.route === "api");
  assert.deepEqual(alarms, [], "a user's request raised an operator's config_error");
  assert.ok(answer.status < 500, `answered ${answer.status}: the user's own request, not the app's setup, was refused`);
});

// Review 38, finding B. `missing_endpoint` is now a config_error at "error" and a 500. A
// preset with no documented API base (Payout: its tokens are for another
// service, and the sandbox, like the preset, has no `api` endpoint for it) is
// a deployment that needs none: any signed-in user with a Payout connection
// sends /connections/payout/api/anything and writes an error-level record
// ("option: providers") and a 500 at will; the operator can only silence it
// by inventing an endpoint.
test("review38 finding B: the API route of a provider without an API endpoint is not an error-level config_error at a user's will", async () => {
  await connect("mallory", "payout", "r38-b");
  const before = records().length;
  const answer = await call("/connections/payout/api/v1/anything?label=r38-b", as("mallory"));
  const body = await answer.json();
  assert.equal(body.error, "missing_endpoint", JSON.stringify(body));
  await new Promise((r) => setTimeout(r, 300));
  const alarms = records().slice(before).filter((r) => r.event === "config_error" && r.route === "api");
  assert.equal(alarms.length, 0, `a user's request raised ${JSON.stringify(alarms)} (answered ${answer.status})`);
});

// Review 38's third reviewer: no user can choose a connection's environment
// (connect takes none from the request), so an unknown one is the operator's
// on every route, the API route too: a connection made before the operator
// misspelled it then fails there, and only the operator can cure it.
test("review38 left: an environment misspelled in a redeploy is the operator's on the API route too (5xx, config_error)", async () => {
  await connect("erin", "factorial", "r38-left");
  // The operator redeploys with Factorial's environment misspelled: the
  // connection's object starts anew and builds its client from that.
  await mf.setOptions({ ...options, bindings: { ...options.bindings, FACTORIAL_ENVIRONMENT: "prodution" } });
  try {
    const before = records().length;
    const answer = await call("/connections/factorial/api/api/v1/employees?label=r38-left", as("erin"));
    const body = await answer.json();
    assert.equal(body.error, "unknown_environment", JSON.stringify(body));
    await new Promise((r) => setTimeout(r, 300));
    const logged = records().slice(before).filter((r) => r.event === "config_error" && r.code === "unknown_environment");
    assert.ok(logged.length > 0, `no config_error for unknown_environment on the API route (answered ${answer.status})`);
    assert.ok(answer.status >= 500, `answered ${answer.status}: the user's request was not at fault`);
  } finally {
    await mf.setOptions(options);
  }
});

// Review 37's unconfirmed suspicion, confirmed: a path that answers 401 to
// any token made every call refresh first (refresh and retry, once a
// refreshFloor): an owner could make the app's client hit the provider's
// token endpoint every refreshFloor seconds on each of their connections.
// A token a refresh has just given that is refused as well says the 401 is
// not the token's age.
test("review38 left: a path that refuses every token does not make each call a refresh", async () => {
  const refreshes = () => refreshCount("billit");
  await connect("frank", "billit", "r38-401");
  const before = await quiet(refreshes);
  for (let i = 0; i < 4; i++) {
    const answer = await call(`/connections/billit/api/v1/_relay/${upstream.port}/denied?label=r38-401`, as("frank"));
    assert.equal((await answer.json()).error, "invalid_token");
    // Past the fixture's refreshFloor (1 s): the floor does not hold these back.
    await new Promise((r) => setTimeout(r, 1200));
  }
  assert.ok((await refreshes()) - before <= 1, `${(await refreshes()) - before} refreshes for 4 calls to a path that refuses every token`);
  // The connection still works, and a refused path is the caller's answer, not the connection's end.
  const fine = await call(`/connections/billit/api/v1/_relay/${upstream.port}/employees?label=r38-401`, as("frank"));
  assert.equal(fine.status, 200, await fine.clone().text());
});

// Review 39 (an outside attack on that fix), finding 1: the token was marked
// only when the refreshing call's own retry came back refused; a call that
// met the new token's refusal first refreshed again.
test("review39 finding 1: a call refused on the new token before the refreshing call's retry is answered does not refresh again", async () => {
  const refreshes = () => refreshCount("billit");
  await connect("gina", "billit", "r39-race");
  const api = (path) => call(`/connections/billit/api/v1/_relay/${upstream.port}${path}?label=r39-race`, as("gina")).then((r) => r.json());
  const before = await quiet(refreshes);
  // A: refused after 800 ms, refreshes, its retry refused 800 ms later.
  const a = api("/denied-slow");
  await new Promise((r) => setTimeout(r, 1100));
  // B: the new token, refused at once, while A's retry is in flight (past the 1 s floor).
  const b = api("/denied");
  assert.deepEqual((await Promise.all([a, b])).map((body) => body.error), ["invalid_token", "invalid_token"]);
  assert.ok((await refreshes()) - before <= 1, `${(await refreshes()) - before} refreshes for one token refused everywhere`);
});

// Finding 2: the mark was the object's memory, gone whenever it is loaded
// again (an idle object is evicted within minutes): a caller who spaced
// their calls past that got one refresh each.
test("review39 finding 2: the hold outlives the object's reload", async () => {
  const refreshes = () => refreshCount("billit");
  await connect("hank", "billit", "r39-reload");
  const api = () => call(`/connections/billit/api/v1/_relay/${upstream.port}/denied?label=r39-reload`, as("hank")).then((r) => r.json());
  const before = await quiet(refreshes);
  assert.equal((await api()).error, "invalid_token");
  // Every object is loaded again (a redeploy does the same as an eviction).
  await mf.setOptions(options);
  await new Promise((r) => setTimeout(r, 1200));
  assert.equal((await api()).error, "invalid_token");
  assert.ok((await refreshes()) - before <= 1, `${(await refreshes()) - before} refreshes: the reload forgot the hold`);
});

// Review 40 (an attack on review 39's fix), finding 1: a refusal's refresh
// that failed left the mark on the record, over the old token that no
// refresh had given: during the backoff a refused call answered the
// provider's invalid_token (502, no Retry-After), not the README's
// connection_backoff.
test("review40 finding 1: a refusal's refresh that fails does not hold the old token: during the backoff a refused call is connection_backoff", async () => {
  await connect("ivy", "factorial", "r40-fail");
  const api = () => call("/connections/factorial/api/api/v1/employees?label=r40-fail", as("ivy")).then(async (r) => ({ status: r.status, ...(await r.json()) }));
  assert.equal((await api()).error, undefined);
  // The provider refuses every token of the app (invalid_token), and its token endpoint answers 503 once.
  await admin("switch", { clientId: "factorial-client", rejectTokens: true, unavailable: { on: "token", status: 503, times: 1 } });
  try {
    const first = await api();
    assert.notEqual(first.error, undefined);
    const second = await api();
    assert.equal(second.error, "connection_backoff", `in the backoff after a refusal's failed refresh: ${JSON.stringify(second)}`);
    assert.ok(second.retryAfter > 0, JSON.stringify(second));
  } finally {
    await admin("switch", { clientId: "factorial-client", reset: true });
    // Its backoff retry would otherwise meet the next test's switches (one client for all).
    await call("/connections/factorial/disconnect?label=r40-fail", as("ivy", { method: "POST", headers: { origin: ORIGIN } }));
  }
});

// Review 41 (an attack on review 40's fixes), finding 1: the alarm's retry of
// a refusal's failed refresh started unmarked, so the token it gave was
// refreshed again at the next refusal: each failure at the token endpoint
// let one more refresh through the hold.
test("review41 finding 1: the backoff retry of a refusal's failed refresh gives a token the hold covers", async () => {
  const refreshes = () => refreshCount("factorial");
  await connect("zed", "factorial", "r41");
  const api = () => call("/connections/factorial/api/api/v1/employees?label=r41", as("zed")).then(async (r) => ({ status: r.status, ...(await r.json()) }));
  assert.equal((await api()).error, undefined);
  // Every token refused (invalid_token); the token endpoint answers 503 once.
  await admin("switch", { clientId: "factorial-client", rejectTokens: true, unavailable: { on: "token", status: 503, times: 1 } });
  const before = await quiet(refreshes);
  const trace = [];
  try {
    await new Promise((r) => setTimeout(r, 1200));
    trace.push((await api()).error); // refused; its refresh meets the 503: backoff
    trace.push((await api()).error); // connection_backoff
    // The alarm's retry (backoffBase 1 s) succeeds; then refusals, past the 1 s floor each.
    await until(async () => ((await refreshes()) - before >= 1 ? true : null), "the backoff retry's refresh", 10000);
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 1200));
      trace.push((await api()).error);
    }
    assert.equal((await refreshes()) - before, 1, `refreshes after one token-endpoint failure: ${JSON.stringify(trace)}`);
  } finally {
    await admin("switch", { clientId: "factorial-client", reset: true });
  }
});
