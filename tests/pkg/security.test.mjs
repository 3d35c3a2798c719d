// Issue 15's JS-facing findings, each through the public API with a stub
// fetch, each named after its finding.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { OAuthClient, OAuthError, pkceChallenge, verifyAccessToken } from "../../pkg/node.js";
import * as page from "../../pkg/page/partner_oauth.js";

page.initSync({ module: readFileSync(new URL("../../pkg/page/partner_oauth_bg.wasm", import.meta.url)) });

const redirectUri = "https://app.example/cb";
const endpoints = { authorize: "https://as.example/authorize", token: "https://as.example/token", api: "https://api.example/v1" };
const TOKEN_BODY = JSON.stringify({ access_token: "at-1", token_type: "Bearer", expires_in: 3600, refresh_token: "rt-1" });
const isCode = (code) => (e) => e instanceof OAuthError && e.code === code;

/** A stub fetch that records what it was given and answers `answer()`. */
function stub(answer = () => new Response(TOKEN_BODY, { status: 200 })) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init });
    return answer(url, init);
  };
  return { fetch, calls };
}

function client(fetch, extra = {}) {
  return new OAuthClient({ provider: "custom", clientId: "cid", clientSecret: "sec", redirectUri, endpoints, fetch, ...extra });
}

/** A started flow and its parsed callback. */
function flow(c) {
  const { state, pending } = c.startAuthorization();
  return { pending, callback: c.parseCallback(`${redirectUri}?code=the-code&state=${state}`, pending) };
}

test("finding 12: a bare code is refused unless the state check is skipped on purpose", async () => {
  const { fetch, calls } = stub();
  const c = client(fetch);
  const { pending } = flow(c);
  await assert.rejects(c.exchangeCode("the-code", pending), isCode("invalid_argument"));
  await assert.rejects(c.exchangeCode({ code: "the-code" }, pending), isCode("invalid_argument"));
  assert.throws(() => c.codeRequest("the-code", pending), isCode("invalid_argument"));
  assert.equal(calls.length, 0, "nothing was sent");
  const token = await c.exchangeCode("the-code", pending, { skipStateCheck: true });
  assert.equal(token.accessToken, "at-1");
  assert.match(c.codeRequest("the-code", pending, { skipStateCheck: true }).body, /code=the-code/);
});

test("finding 12: a callback from another flow is state_mismatch, compared with the pending flow's state", async () => {
  const { fetch, calls } = stub();
  const c = client(fetch);
  const first = flow(c);
  const second = flow(c);
  await assert.rejects(c.exchangeCode(first.callback, second.pending), isCode("state_mismatch"));
  assert.throws(() => c.codeRequest(first.callback, second.pending), isCode("state_mismatch"));
  assert.equal(calls.length, 0, "nothing was sent");
  const token = await c.exchangeCode(second.callback, second.pending);
  assert.equal(token.accessToken, "at-1");
  assert.match(c.codeRequest(second.callback, second.pending).body, /code=the-code/);
});

/** What `fetch(…, { redirect: "manual" })` gives in a browser: status 0. */
const opaqueRedirect = () => ({ type: "opaqueredirect", status: 0, headers: new Headers(), text: async () => "", clone() { return this; } });
const redirectTo = (location, status = 307) => () => new Response(null, { status, headers: { location } });

test("finding 9: a redirect from the token endpoint is unexpected_redirect, never followed", async () => {
  for (const answer of [redirectTo("https://evil.example/steal"), redirectTo("https://evil.example/steal", 302), opaqueRedirect]) {
    const { fetch, calls } = stub(answer);
    const c = client(fetch);
    const { callback, pending } = flow(c);
    await assert.rejects(c.exchangeCode(callback, pending), isCode("unexpected_redirect"));
    await assert.rejects(c.refresh("rt-1"), isCode("unexpected_redirect"));
    await assert.rejects(c.clientCredentials(), isCode("unexpected_redirect"));
    assert.ok(calls.every(({ init }) => init.redirect === "manual"), "every request is sent with redirect: manual");
  }
});

test("finding 9: an API redirect is handed to the caller, and the token is never sent on", async () => {
  const { fetch, calls } = stub(redirectTo("https://evil.example/steal", 308));
  const response = await client(fetch).fetchApi("at-1", "/items", { redirect: "follow" });
  assert.equal(response.status, 308);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].init.redirect, "manual", "even when the caller asked to follow");
});

/** A `bytes`-long answer in 64 KiB chunks that counts what was pulled. */
function huge(status, bytes = 8 << 20) {
  const chunk = new Uint8Array(64 << 10).fill(0x61);
  const answer = { pulled: 0 };
  answer.respond = () => new Response(new ReadableStream({
    pull(controller) {
      if (answer.pulled >= bytes) return controller.close();
      answer.pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 }), { status });
  return answer;
}

test("finding 10: a token, API or revocation answer over 1 MiB is input_too_large, read no further than the limit", async () => {
  const cases = [
    ["token 200", 200, (c) => c.refresh("rt-1")],
    ["token 400", 400, (c) => c.clientCredentials()],
    ["API 404", 404, (c) => c.fetchApi("at-1", "/items")],
    ["revocation 503", 503, (c) => c.revoke("at-1")],
  ];
  for (const [what, status, run] of cases) {
    const answer = huge(status);
    const c = client(stub(answer.respond).fetch, { endpoints: { ...endpoints, revoke: "https://as.example/revoke" } });
    await assert.rejects(run(c), isCode("input_too_large"), what);
    assert.ok(answer.pulled <= (1 << 20) + (256 << 10), `${what}: pulled ${answer.pulled} bytes`);
  }
});

test("finding 10: a JWKS over 1 MiB is input_too_large, read no further than the limit", async () => {
  const { verifyAccessToken } = await import("../../pkg/node.js");
  const answer = huge(200);
  const token = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsyIn0.eyJzdWIiOiJ4In0.AAAA"; // {"alg":"ES256","kid":"k2"}
  await assert.rejects(verifyAccessToken(token, { jwks: "https://issuer.example/huge-jwks.json", fetch: stub(answer.respond).fetch }), isCode("input_too_large"));
  assert.ok(answer.pulled <= (1 << 20) + (256 << 10), `pulled ${answer.pulled} bytes`);
});

/** Runs `body` with `Object.prototype` polluted by `props`, then cleans up. */
async function polluted(props, body) {
  for (const [key, value] of Object.entries(props)) Object.defineProperty(Object.prototype, key, { value, configurable: true, writable: true });
  try {
    return await body();
  } finally {
    for (const key of Object.keys(props)) delete Object.prototype[key];
  }
}

test("finding 11: a polluted Object.prototype never reaches fetch, headers, init or the code", async () => {
  const evil = stub();
  const good = stub();
  const original = globalThis.fetch;
  globalThis.fetch = good.fetch;
  try {
    await polluted({ fetch: evil.fetch, headers: { "x-polluted": "1" }, credentials: "include", code: "evil-code" }, async () => {
      const c = new OAuthClient({ provider: "custom", clientId: "cid", clientSecret: "sec", redirectUri, endpoints });
      await c.clientCredentials();
      await c.fetchApi("at-1", "/items", {});
      const { pending, callback } = flow(c);
      await assert.rejects(c.exchangeCode({ state: callback.state }, pending), isCode("invalid_argument"));
      const { verifyAccessToken } = await import("../../pkg/node.js");
      await assert.rejects(verifyAccessToken("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA", { jwks: "https://issuer.example/jwks.json" }));
    });
  } finally {
    globalThis.fetch = original;
  }
  assert.equal(evil.calls.length, 0, "the polluted fetch never ran");
  assert.equal(good.calls.length, 3, "token, API and JWKS requests went through the global fetch");
  for (const { init } of good.calls) {
    assert.equal(init.credentials, undefined, "no inherited init member reaches fetch");
    assert.equal(new Headers(init.headers).has("x-polluted"), false);
  }
});

/** A JWKS endpoint as a stub fetch: serves `set.keys` with `cacheControl`,
 * counts fetches, and can hold answers back until `release()`. */
function jwksEndpoint(cacheControl) {
  const endpoint = { keys: [], fetches: 0, held: null };
  endpoint.fetch = async () => {
    endpoint.fetches++;
    if (endpoint.held) await endpoint.held.promise;
    const headers = { "content-type": "application/json", ...(cacheControl ? { "cache-control": cacheControl } : {}) };
    return new Response(JSON.stringify({ keys: endpoint.keys }), { status: 200, headers });
  };
  endpoint.hold = () => { let release; endpoint.held = { promise: new Promise((r) => (release = r)) }; endpoint.held.release = release; };
  return endpoint;
}

/** Date.now() moved forward by `ms` while `body` runs (the wasm reads it too). */
let clockOffset = 0;
const realNow = Date.now;
Date.now = () => realNow() + clockOffset;
const later = (ms) => { clockOffset += ms; };

let urls = 0;
const jwksUrl = () => `https://issuer.example/jwks-${++urls}.json`;
const claims = () => ({ sub: "m2m", exp: Math.floor(Date.now() / 1000) + 86400 * 30 });

test("finding 3: the JWKS cache expires as Cache-Control max-age says (default 10 minutes, at most 24 hours)", async () => {
  const { verifyAccessToken } = await import("../../pkg/node.js");
  const { makeToken } = await import("../support/jwt.mjs");
  for (const [cacheControl, fresh, stale] of [[undefined, 9 * 60e3, 2 * 60e3], ["max-age=60", 50e3, 20e3], ["public, max-age=999999999", 23 * 3600e3, 2 * 3600e3]]) {
    const endpoint = jwksEndpoint(cacheControl);
    const made = await makeToken("ES256", claims(), "k1");
    endpoint.keys = [made.jwk];
    const options = { jwks: jwksUrl(), fetch: endpoint.fetch };
    await verifyAccessToken(made.token, options);
    later(fresh);
    await verifyAccessToken(made.token, options);
    assert.equal(endpoint.fetches, 1, `${cacheControl}: still fresh`);
    later(stale);
    await verifyAccessToken(made.token, options);
    assert.equal(endpoint.fetches, 2, `${cacheControl}: expired, fetched again`);
  }
});

test("finding 3: a key the issuer removed stops verifying once the cache expires", async () => {
  const { verifyAccessToken } = await import("../../pkg/node.js");
  const { makeToken } = await import("../support/jwt.mjs");
  const endpoint = jwksEndpoint("max-age=300");
  const old = await makeToken("ES256", claims(), "old");
  endpoint.keys = [old.jwk];
  const options = { jwks: jwksUrl(), fetch: endpoint.fetch };
  await verifyAccessToken(old.token, options);
  endpoint.keys = []; // the issuer withdraws it
  later(301e3);
  await assert.rejects(verifyAccessToken(old.token, options), isCode("key_not_found"));
});

test("finding 3: unknown kids fetch again at most once per 30 s, and one fetch is in flight per URL", async () => {
  const { verifyAccessToken } = await import("../../pkg/node.js");
  const { makeToken } = await import("../support/jwt.mjs");
  const endpoint = jwksEndpoint();
  const known = await makeToken("ES256", claims(), "known");
  endpoint.keys = [known.jwk];
  const options = { jwks: jwksUrl(), fetch: endpoint.fetch };
  endpoint.hold();
  const first = Array.from({ length: 10 }, () => verifyAccessToken(known.token, options));
  endpoint.held.release();
  await Promise.all(first);
  endpoint.held = null;
  assert.equal(endpoint.fetches, 1, "ten verifications, one fetch");
  const strangers = await Promise.all(["a", "b", "c"].map((kid) => makeToken("ES256", claims(), kid)));
  later(31e3);
  await assert.rejects(verifyAccessToken(strangers[0].token, options), isCode("key_not_found"));
  assert.equal(endpoint.fetches, 2, "an unknown kid fetches once (rotation)");
  await assert.rejects(verifyAccessToken(strangers[1].token, options), isCode("key_not_found"));
  assert.equal(endpoint.fetches, 2, "within 30 s, no second fetch");
  later(31e3);
  await assert.rejects(verifyAccessToken(strangers[2].token, options), isCode("key_not_found"));
  assert.equal(endpoint.fetches, 3, "after 30 s, one more");
});

test("finding 3: no fetch for an algorithm the set holds no key for; algorithms default to what the keys can verify", async () => {
  const { verifyAccessToken } = await import("../../pkg/node.js");
  const { makeToken } = await import("../support/jwt.mjs");
  const endpoint = jwksEndpoint();
  const ec = await makeToken("ES256", claims(), "ec");
  endpoint.keys = [ec.jwk];
  const options = { jwks: jwksUrl(), fetch: endpoint.fetch };
  await verifyAccessToken(ec.token, options);
  const hs = await makeToken("HS256", claims(), "hs");
  for (let i = 0; i < 5; i++) await assert.rejects(verifyAccessToken(hs.token, options), isCode("algorithm_not_allowed"));
  assert.equal(endpoint.fetches, 1, "an HS256 token against an EC set fetches nothing");
  // A key given directly: the same default.
  await assert.rejects(verifyAccessToken(hs.token, { key: ec.jwk }), isCode("algorithm_not_allowed"));
});

test("finding 6: a token or header with CR/LF never surfaces as a raw TypeError quoting it", async () => {
  const { fetch, calls } = stub();
  const c = client(fetch);
  const evil = "at-1\r\nX-Injected: yes";
  await assert.rejects(c.fetchApi({ accessToken: evil }, "/items"), (e) => isCode("invalid_argument")(e) && !e.message.includes("X-Injected"));
  await assert.rejects(c.fetchApi("at-1", "/items", { headers: { "X-Note": "line\r\nX-Injected: yes" } }), (e) => isCode("invalid_argument")(e) && !e.message.includes("X-Injected"));
  assert.equal(calls.length, 0, "nothing was sent");
});

// The outside review of createRefresher (SECURITY.md, review F3 and F4).
test("review F3: createRefresher keeps refreshing when the provider does not rotate refresh tokens", async () => {
  let n = 0;
  const fetch = async () => new Response(JSON.stringify({ access_token: `AT${++n}`, token_type: "Bearer", expires_in: 60 }), { status: 200 });
  const c = client(fetch);
  const refresh = (await import("../../pkg/node.js")).createRefresher();
  const first = await refresh(c, "u1", { accessToken: "AT0", refreshToken: "RT0" });
  assert.equal(first.accessToken, "AT1");
  assert.equal(first.refreshToken, "RT0", "not rotated: the old one is kept");
  const second = await refresh(c, "u1", first);
  assert.equal(second.accessToken, "AT2", "a second refresh is a new request, not the first answer again");
  assert.equal(n, 2);
});

test("review F4: createRefresher treats a refresh token given as a string like a token object", async () => {
  const sent = [];
  let n = 0;
  const fetch = async (url, init) => {
    sent.push(new URLSearchParams(init.body).get("refresh_token"));
    n++;
    return new Response(JSON.stringify({ access_token: `AT${n}`, token_type: "Bearer", refresh_token: `RT${n}` }), { status: 200 });
  };
  const c = client(fetch);
  const refresh = (await import("../../pkg/node.js")).createRefresher();
  const first = await refresh(c, "u1", "RT0");
  const again = await refresh(c, "u1", "RT0");
  assert.deepEqual(sent, ["RT0"], "a rotated-away refresh token is never sent again");
  assert.equal(again.refreshToken, first.refreshToken);
  // Any token rotated away earlier gets the newest one, not a replay.
  const third = await refresh(c, "u1", first);
  assert.equal((await refresh(c, "u1", "RT0")).refreshToken, third.refreshToken);
  assert.deepEqual(sent, ["RT0", "RT1"]);
});

// Review 2 F3 (low): timeoutMs out of range is invalid_config for a client and
// for verifyAccessToken (1682d8e), but NaN and ±Infinity become null in the
// options' JSON and so read as absent: the 10 s default, silently. A
// `Number(env.TIMEOUT_MS)` of a missing or mistyped variable is NaN.
test("review2 F3: timeoutMs NaN or Infinity is invalid_config, not the default", async () => {
  const { verifyAccessToken } = await import("../../pkg/node.js");
  const key = { kty: "oct", k: "a".repeat(43) };
  for (const timeoutMs of [NaN, Infinity, -Infinity]) {
    assert.throws(() => client(async () => new Response("{}"), { timeoutMs }), isCode("invalid_config"), `client ${timeoutMs}`);
    await assert.rejects(verifyAccessToken("a.b.cc", { key, timeoutMs }), isCode("invalid_config"), `verifyAccessToken ${timeoutMs}`);
  }
});

// Found by the glue's fuzz test (tests/consumers/node/glue-fuzz.test.mjs):
// wasm-bindgen's string passing assumes a string, so an object read
// `.length` and wrote out of bounds (a wasm trap), null threw a TypeError,
// and `{ length: n }` allocated n bytes of wasm memory it never freed.
test("finding: a non-string argument traps the wasm or throws a TypeError instead of invalid_argument", async () => {
  const bad = [{}, 1, Symbol("s"), { length: 1 << 24 }, ["x"], null];
  const full = client(stub().fetch);
  const pageClient = new page.OAuthClient({ provider: "custom", clientId: "cid", redirectUri, endpoints });
  const token = { accessToken: "at-1", tokenType: "Bearer" };
  const { pending, callback } = flow(full);
  for (const value of bad) {
    const calls = [
      ["pkceChallenge", () => pkceChallenge(value)],
      ["page pkceChallenge", () => page.pkceChallenge(value)],
      ["verifyAccessToken", () => verifyAccessToken(value, { key: { kty: "oct", k: "a2V5LWtleS1rZXkta2V5LWtleS1rZXkta2V5LWtleS0" } })],
      ["fetchApi", () => full.fetchApi(token, value)],
      ["exchangeCode", () => full.exchangeCode(callback, value)],
      ["codeRequest", () => full.codeRequest(callback, value)],
    ];
    // A null pending value is "nothing stored": missing_pending, as before.
    if (value !== null) calls.push(["parseCallback", () => full.parseCallback(callback.url ?? `${redirectUri}?code=c&state=s`, value)]);
    calls.push(["parseCallback's URL", () => full.parseCallback(value, pending)], ["page parseCallback's URL", () => pageClient.parseCallback(value, pending)]);
    if (value !== null) calls.push(["page parseCallback", () => pageClient.parseCallback(`${redirectUri}?code=c&state=s`, value)]);
    for (const [name, call] of calls) {
      await assert.rejects(async () => call(), isCode("invalid_argument"), `${name}(${typeof value === "symbol" ? "symbol" : JSON.stringify(value)})`);
    }
  }
  // The instances still work.
  assert.equal(pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  assert.equal(flow(full).callback.code, "the-code");
});
