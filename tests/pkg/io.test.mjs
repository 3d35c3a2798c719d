// The JS I/O layer (io.js) on its own, with a stub fetch: it sends the
// request the wasm built byte for byte, and maps a timeout and a failed
// fetch to their typed errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { OAuthError } from "../../pkg/node.js";
import { OAuthClient, send } from "../../pkg/io.js";

const request = { method: "POST", url: "https://as.example/token", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "a=1" };
const isCode = (code) => (e) => e instanceof OAuthError && e.code === code;

test("the request sent is byte for byte the one the wasm built", async () => {
  const seen = [];
  const fetch = async (url, init) => {
    seen.push({ url, method: init.method, headers: new Headers(init.headers), body: init.body, signal: init.signal });
    return new Response(JSON.stringify({ access_token: "at-2", token_type: "Bearer", refresh_token: "rt-2" }), { status: 200 });
  };
  const client = new OAuthClient({
    provider: "custom", clientId: "cid", clientSecret: "sec", redirectUri: "https://app.example/cb", fetch,
    endpoints: { authorize: "https://as.example/authorize", token: "https://as.example/token" },
  });
  const token = await client.refresh({ accessToken: "at-1", refreshToken: "rt-1" });
  assert.equal(token.accessToken, "at-2");
  const built = client.refreshRequest("rt-1");
  assert.equal(seen.length, 1);
  assert.equal(seen[0].url, built.url);
  assert.equal(seen[0].method, built.method);
  assert.equal(seen[0].body, built.body);
  assert.deepEqual(Object.fromEntries(seen[0].headers), Object.fromEntries(new Headers(built.headers)));
  assert.ok(seen[0].signal instanceof AbortSignal, "every request carries the timeout's signal");
});

test("no answer within timeoutMs is the typed timeout", async (t) => {
  // Node's AbortSignal.timeout does not hold the event loop open; a real
  // request's socket would.
  const open = setInterval(() => {}, 1000);
  t.after(() => clearInterval(open));
  // A fetch that only ever settles when its signal aborts.
  const fetch = (url, init) => new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(init.signal.reason)));
  await assert.rejects(send(request, fetch, 20), isCode("timeout"));
  // A body that never finishes is bounded by the same signal.
  const stalled = (url, init) => Promise.resolve(new Response(new ReadableStream({
    start(controller) { init.signal.addEventListener("abort", () => controller.error(init.signal.reason)); },
  })));
  await assert.rejects(send(request, stalled, 20), isCode("timeout"));
});

test("a rejected fetch is network_error; a non-Response is too", async () => {
  await assert.rejects(send(request, async () => { throw new TypeError("fetch failed"); }, 1000), isCode("network_error"));
  await assert.rejects(send(request, async () => "not a response", 1000), isCode("network_error"));
});

test("the answer is handed back whole: status, WWW-Authenticate, Retry-After, body", async () => {
  const fetch = async () => new Response("{}", { status: 401, headers: { "WWW-Authenticate": 'Basic realm="x"' } });
  assert.deepEqual(await send(request, fetch, 1000), { status: 401, wwwAuthenticate: 'Basic realm="x"', cacheControl: undefined, retryAfter: null, body: "{}" });
  const busy = async () => new Response("", { status: 503, headers: { "Retry-After": "12" } });
  assert.equal((await send(request, busy, 1000)).retryAfter, 12);
});

test("a fetch option that is not a function is invalid_config", () => {
  assert.throws(() => new OAuthClient({ provider: "billit", clientId: "c", redirectUri: "https://app.example/cb", fetch: Symbol("x") }), isCode("invalid_config"));
});

test("OAuthError.refreshAndRetry is the core's classification: set for a refused access token, absent otherwise", async () => {
  const answers = [
    [new Response("", { status: 401, headers: { "www-authenticate": 'Bearer error="invalid_token"' } }), "invalid_token", true],
    [new Response("", { status: 401 }), "http_error", undefined],
  ];
  for (const [response, code, refreshAndRetry] of answers) {
    const client = new OAuthClient({
      provider: "custom", clientId: "cid", clientSecret: "sec", redirectUri: "https://app.example/cb", fetch: async () => response,
      endpoints: { authorize: "https://as.example/authorize", token: "https://as.example/token", api: "https://api.example/v1" },
    });
    await assert.rejects(client.fetchApi("at-1", "/items"), (e) => isCode(code)(e) && e.refreshAndRetry === refreshAndRetry);
  }
  const refused = new OAuthClient({
    provider: "custom", clientId: "cid", clientSecret: "sec", redirectUri: "https://app.example/cb",
    fetch: async () => new Response(JSON.stringify({ error: "invalid_grant" }), { status: 400 }),
    endpoints: { authorize: "https://as.example/authorize", token: "https://as.example/token" },
  });
  await assert.rejects(refused.refresh("rt-1"), (e) => isCode("invalid_grant")(e) && !("refreshAndRetry" in e));
});

// The page build's contract, in the full build too: wasm-bindgen's own
// glue threw an untyped "null pointer passed to rust", a second free() too.
test("a full-build client used after free() throws invalid_argument; free() twice and Symbol.dispose are no-ops after it", async () => {
  const client = new OAuthClient({ provider: "billit", clientId: "c", clientSecret: "s", redirectUri: "https://app.example/cb" });
  const { pending, state } = client.startAuthorization();
  client.free();
  const freed = (e) => isCode("invalid_argument")(e) && e.message === "this client was freed (free() was called)";
  for (const use of [() => client.provider, () => client.environment, () => client.clientId, () => client.startAuthorization(),
    () => client.parseCallback(`https://app.example/cb?code=a&state=${state}`, pending), () => client.isExpired("t"),
    () => client.refreshRequest("rt")]) {
    assert.throws(use, freed);
  }
  await assert.rejects(client.exchangeCode(`https://app.example/cb?code=a&state=${state}`, pending), freed);
  client.free();
  client[Symbol.dispose]?.();
  // Other clients are untouched.
  const other = new OAuthClient({ provider: "billit", clientId: "c", clientSecret: "s", redirectUri: "https://app.example/cb" });
  assert.match(other.startAuthorization().url, /client_id=c/);
});

// Cold review 58, finding 5: a `fetch` that is not a function (null aside,
// which is absent) answered `unknown option "fetch"`, though fetch is a
// documented option; io.js' own check came after the wasm's reader.
test("cold58 finding 5: a fetch option that is not a function says so", () => {
  const options = { provider: "billit", clientId: "c", redirectUri: "https://app.example/cb" };
  for (const fetch of ["yes", {}, true, 3, [], null]) {
    assert.throws(() => new OAuthClient({ ...options, fetch }),
      (e) => isCode("invalid_config")(e) && e.message === "the fetch option must be a function", String(fetch));
  }
  for (const fetch of [undefined, async () => new Response("{}")]) new OAuthClient({ ...options, fetch }).free();
});

// Cold review 58: a token endpoint's 503 or 429 with Retry-After rejected as
// token_error with no word of when to retry; the Worker read the header
// through a fetch of its own. Now the error carries it (seconds).
test("cold58: an exchange refused with Retry-After carries retryAfter (seconds); one without has none", async () => {
  const answer = (status, headers) => async () => new Response(JSON.stringify({ error: "temporarily_unavailable" }), { status, headers: { "content-type": "application/json", ...headers } });
  const client = (fetch) => new OAuthClient({
    provider: "custom", clientId: "cid", clientSecret: "sec", fetch,
    endpoints: { authorize: "https://as.example/authorize", token: "https://as.example/token" },
  });
  const refused = async (fetch) => {
    try {
      await client(fetch).refresh({ accessToken: "at-1", refreshToken: "rt-1" });
    } catch (e) {
      return e;
    }
    assert.fail("resolved");
  };
  for (const [status, header, seconds] of [[503, "7", 7], [429, "120", 120], [503, new Date(Date.now() + 30_000).toUTCString(), 30]]) {
    const e = await refused(answer(status, { "retry-after": header }));
    assert.ok(e instanceof OAuthError && e.status === status, String(e));
    assert.ok(Math.abs(e.retryAfter - seconds) <= 1, `${status} ${header}: ${e.retryAfter}`);
  }
  // Review 59, finding 1: a provider's year-9999 date reached the app's
  // clients as is; a day at most, as the Worker's backoff honours.
  for (const header of ["999999999", "Fri, 31 Dec 9999 23:59:59 GMT"]) {
    assert.equal((await refused(answer(503, { "retry-after": header }))).retryAfter, 86400, header);
  }
  for (const headers of [{}, { "retry-after": "soon" }]) {
    const e = await refused(answer(503, headers));
    assert.equal(e.retryAfter, undefined, JSON.stringify(headers));
  }
});

test("parseCallback's entry for two strings answers as the wasm's general one: results, errors and a freed client", async () => {
  const { OAuthClient: Core } = await import("../../pkg/partner_oauth.js");
  const general = (client, url, pending) => Core.prototype.parseCallback.call(client, url, pending);
  const outcome = (call) => {
    try {
      return { result: call() };
    } catch (e) {
      assert.ok(e instanceof OAuthError, String(e));
      return { code: e.code, message: e.message, providerCode: e.providerCode, providerMessage: e.providerMessage };
    }
  };
  const redirectUri = "https://app.example/cb";
  const client = new OAuthClient({ provider: "billit", clientId: "c", redirectUri });
  const { state, pending } = client.startAuthorization({ payload: "p-é" });
  const urls = [
    `${redirectUri}?code=abc&state=${state}`,
    `${redirectUri}?code=abc&state=${state}x`,
    `${redirectUri}?error=access_denied&error_description=no&state=${state}`,
    `${redirectUri}?code=a&code=b&state=${state}`,
    `/cb?code=abc&state=${state}`,
    `?code=%FF&state=${state}`,
    `${redirectUri}#code=abc&state=${state}`,
    "not a url",
    "",
    // Not ASCII (both entries read a lone surrogate as U+FFFD), and past the
    // wasm's input region (8 KiB of UTF-8 a text: the general entry), in
    // units or only in bytes.
    `${redirectUri}?code=é&state=${state}`,
    `${redirectUri}?code=\uD800&state=${state}`,
    `${redirectUri}?code=abc&state=${state}&pad=${"x".repeat(8192)}`,
    `${redirectUri}?code=abc&state=${state}&pad=${"é".repeat(2700)}`,
    `${redirectUri}?code=abc&state=${state}&pad=${"é".repeat(4100)}`,
  ];
  let accepted = 0;
  for (const url of urls) {
    for (const value of [pending, `${pending}x`, "", `${pending}\uDC00`, `${pending}${"é".repeat(4000)}`]) {
      const fast = outcome(() => client.parseCallback(url, value));
      assert.deepEqual(fast, outcome(() => general(client, url, value)), `${url} ${value.length}`);
      if (fast.result) accepted++;
    }
  }
  assert.equal(accepted, 3, "the callbacks with a code and the flow's state are accepted: two, and one past the scratch buffer");
  // The input entry is not on the class: only parseCallback, which checked
  // both are strings and wrote them, calls it.
  assert.equal("parseCallbackInput" in client, false);
  assert.equal(Core.prototype.parseCallbackInput, undefined);
  // The wasm's memory grown (io.js' views of its input region detached):
  // io.js makes them again.
  const { callbackInput } = await import("../../pkg/partner_oauth.js");
  const before = callbackInput();
  const kept = [];
  while (before.byteLength > 0) kept.push(new OAuthClient({ provider: "billit", clientId: "c".repeat(500), redirectUri }));
  assert.equal(client.parseCallback(urls[0], pending).code, "abc");
  for (const other of kept) other.free();
  // Not strings: the general entry's typed refusals.
  assert.throws(() => client.parseCallback(7, pending), isCode("invalid_argument"));
  assert.throws(() => client.parseCallback(`${redirectUri}?code=abc&state=${state}`, {}), isCode("invalid_argument"));
  client.free();
  assert.throws(() => client.parseCallback(urls[0], pending), isCode("invalid_argument"));
});
