// A Cloudflare Worker that connects its users to the five providers through
// partner-oauth/worker: the shipped Durable Object class per connection, and
// its routes under /connections. Here the providers point at the local
// sandbox; a real app passes only credentials and the presets' endpoints apply.
//
// The owner: a real app reads its session; this fixture trusts an
// `x-test-user` header, the stand-in the tests set.
import { createConnections } from "partner-oauth/worker";
import { OAuthError, verifyAccessToken } from "partner-oauth";

const providers = (env) => {
  const clients = JSON.parse(env.CLIENTS);
  const endpoints = JSON.parse(env.ENDPOINTS);
  return Object.fromEntries(Object.entries(clients).map(([provider, credentials]) => [provider, {
    ...credentials,
    endpoints: endpoints[provider],
    timeoutMs: Number(env.TIMEOUT_MS ?? 10000),
    stateMaxAge: Number(env.STATE_MAX_AGE ?? 600),
    ...(provider === "payout" && env.PAYOUT_RT_LIFETIME && { refreshTokenLifetime: Number(env.PAYOUT_RT_LIFETIME) }),
    // PayFit's sandbox, as its guide, wants scopes of its list.
    ...(provider === "payfit" && { scopes: ["contracts:read"] }),
    // Factorial: user tokens only (a company token never expires).
    ...(provider === "factorial" && { tokenKind: "user" }),
    // Review 24: an app that lists the kinds it allows and names no default.
    ...(provider === "factorial" && env.FACTORIAL_KINDS && { tokenKind: undefined, tokenKinds: JSON.parse(env.FACTORIAL_KINDS) }),
  }]));
};

/** The owner; a request with `x-test-throw` makes authenticate throw a text
 * that must never be echoed (a session token, say). */
const authenticate = async (request) => {
  if (request.headers.has("x-test-throw")) throw new Error("session sess_do-not-echo-4b1f is malformed");
  return request.headers.get("x-test-user");
};

const onEvent = async (event, env) => {
  await fetch(`${env.COLLECTOR}/hook`, { method: "POST", body: JSON.stringify(event) });
};

const connections = createConnections({
  providers,
  authenticate,
  // The Queue binding, wrapped so a test can make its next send throw.
  queue: (env, object) => ({
    async send(event) {
      if (object?.failSends > 0) {
        object.failSends--;
        throw new Error("queue unavailable (test)");
      }
      return env.EVENTS.send(event);
    },
  }),
  onEvent,
  // Test stand-in for answers no sandbox API gives (HTML, redirects, slow
  // bodies): an API path …/_relay/<port>/… goes to the test's own server on
  // loopback; every other request goes out unchanged.
  fetch: (url, init) => {
    const relay = /\/_relay\/(\d+)(\/.*)$/.exec(String(url));
    return fetch(relay ? `http://127.0.0.1:${relay[1]}${relay[2]}` : url, init);
  },
  // Test timing: refresh at expiry, 1 s backoff steps, outbox retried after 1 s.
  lifecycle: { refreshAhead: 0, backoffBase: 1, outboxRetry: 1, refreshTokenMargin: 1 },
  // "alice" connects and reconnects ~70 labels here within minutes, and each
  // reconnect holds its slot until its flow's reservation lapses (review
  // 73): not what these tests are about (the cap's: browser.test.mjs, review73.test.mjs).
  maxConnections: 500,
});

// The shipped lifecycle defaults (refresh 300 s ahead, the refresh floor)
// under /defaults, in their own Durable Object class: the refresh-storm tests.
const defaults = createConnections({
  providers, authenticate, onEvent, binding: "DEFAULTS", basePath: "/defaults",
  lifecycle: { outboxRetry: 1 },
});

export class DefaultConnection extends defaults.Connection {
  /** Review 24: a raw read and a raw write (then a reset), as on Connection. */
  async testRaw(name) { return this.ctx.storage.get(name); }
  async testPutRawAndReset(name, value) {
    await this.ctx.storage.put(name, value);
    await this.ctx.storage.sync();
    this.ctx.abort("reloaded for a test");
  }
}

// Key re-wrap in test time: every connection under /rewrap wakes each second
// and re-seals its tokens under TOKEN_KEYS' first key (default: a day).
const rewrap = createConnections({
  providers, authenticate, onEvent, binding: "REWRAP", basePath: "/rewrap",
  lifecycle: { outboxRetry: 1, rewrapEvery: 1 },
});

export class RewrapConnection extends rewrap.Connection {
  async testRaw(name) { return this.ctx.storage.get(name); }
  async testId() { return this.ctx.id.toString(); }
  /** Review 24: a value sealed as before the fix, written in raw. */
  async testPutRawAndReset(name, value) {
    await this.ctx.storage.put(name, value);
    await this.ctx.storage.sync();
    this.ctx.abort("reloaded for a test");
  }
  async testAlarm() { return this.ctx.storage.getAlarm(); }
}

const WRITES = new Set(["put", "delete", "deleteAll", "setAlarm", "deleteAlarm", "transaction", "sync"]);

/** The shipped class, plus what the tests reach through /_test routes. */
export class Connection extends connections.Connection {
  /** Counts writes, so a test can show a warm API call writes nothing. */
  get storage() {
    if (!this._counted) {
      this.writes = 0;
      const real = this.ctx.storage;
      this._counted = new Proxy(real, {
        get: (target, name) => {
          const value = Reflect.get(target, name);
          if (typeof value !== "function") return value;
          return (...args) => {
            if (WRITES.has(name)) this.writes++;
            return value.apply(target, args);
          };
        },
      });
    }
    return this._counted;
  }

  /** Resets the object at a refresh step, once; or holds the refresh there
   * until the test releases it (a race window as wide as the test needs). */
  async onStep(step) {
    if (this.breakKeysAt === step) {
      this.breakKeysAt = null;
      this.keysBroken = true;
    }
    if (this.abortAt === step) {
      this.abortAt = null;
      // A reset drops writes not yet confirmed. "written": after the write is durable, as it is before any
      // caller's request with the new token leaves (the output gate); since review 92 no delivery waits first.
      if (step === "written") await this.ctx.storage.sync();
      this.ctx.abort(`reset at ${step}`);
    }
    if (this.holdAt === step) {
      this.holdAt = null;
      await new Promise((resolve) => { this.release = resolve; });
    }
  }

  /** The token keys; broken from the step armed by testBreakKeysAt on. */
  get tokenKeys() {
    return this.keysBroken ? "not-a-key" : super.tokenKeys;
  }

  async testBreakKeysAt(step) { await this.status(); this.breakKeysAt = step; }
  async testArmAbort(step) { await this.status(); this.abortAt = step; }
  async testHoldAt(step) { await this.status(); this.holdAt = step; }
  /** True while a refresh waits at the step armed by testHoldAt. */
  async testHeld() { return Boolean(this.release); }
  async testRelease() { const release = this.release; this.release = null; release?.(); }
  async testWrites() { return this.writes ?? 0; }
  async testFailSends(n) { this.failSends = n; }
  async testRaw(name) { return this.ctx.storage.get(name); }
  /** The object's id (review 24: part of the tokens' additional data). */
  async testId() { return this.ctx.id.toString(); }
  /** Writes raw entries and an alarm in, then resets: an object as another module left it. */
  async testSeed(entries, alarmInMs) {
    await this.ctx.storage.put(entries);
    if (alarmInMs != null) await this.ctx.storage.setAlarm(Date.now() + alarmInMs);
    await this.ctx.storage.sync();
    this.ctx.abort("reloaded for a test");
  }

  /** Writes a raw value, then resets so nothing stays in memory. */
  async testPutRawAndReset(name, value) {
    await this.ctx.storage.put(name, value);
    await this.ctx.storage.sync();
    this.ctx.abort("reloaded for a test");
  }
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    try {
      const response = (await connections.handle(request, env)) ?? (await defaults.handle(request, env)) ?? (await rewrap.handle(request, env));
      if (response) return response;
      if (url.pathname === "/verify") return await verify(env, request);
      if (url.pathname.startsWith("/_test/") && env.TEST_ROUTES === "1") return await testRoute(env, request, url);
      return new Response("not found", { status: 404 });
    } catch (e) {
      if (e instanceof OAuthError) return Response.json({ error: e.code, message: e.message }, { status: 400 });
      throw e;
    }
  },
  // The Queue's consumer: hands each event to the test's collector.
  async queue(batch, env) {
    for (const message of batch.messages) {
      await fetch(`${env.COLLECTOR}/queue`, { method: "POST", body: JSON.stringify(message.body) });
      message.ack();
    }
  },
};

// An API of the integrator's that receives TropiPay JWTs from its own front
// end: verified locally against the issuer's JWKS (cached across requests).
async function verify(env, request) {
  const token = (request.headers.get("Authorization") ?? "").replace(/^Bearer /, "");
  try {
    const claims = await verifyAccessToken(token, { jwks: env.JWKS_URL, issuer: env.JWT_ISSUER, audience: "tropipay-api" });
    return Response.json({ sub: claims.sub, scope: claims.scope });
  } catch (e) {
    if (e instanceof OAuthError) return Response.json({ error: e.code, message: e.message }, { status: 401 });
    throw e;
  }
}

/** POST /_test/<method> {owner, provider, label, args}: a test hook on one connection's object. */
async function testRoute(env, request, url) {
  const method = url.pathname.slice("/_test/".length);
  if (method === "bare") {
    // A bare fetch to the provider's API, for the bench's baseline.
    const response = await fetch(url.searchParams.get("url"), { headers: { authorization: request.headers.get("authorization") } });
    return new Response(await response.arrayBuffer(), { status: response.status });
  }
  const { owner, provider, label = "", args = [], binding = "CONNECTIONS" } = await request.json();
  if (method === "connectionFetch") {
    // The integrator's own handler: connection().fetch, the Response's status and headers.
    const response = await connections.connection(env, owner, provider, label).fetch(args[0], args[1]);
    return Response.json({ value: { status: response.status, headers: [...response.headers] } });
  }
  if (method === "connectionRead") {
    // connection().fetch, its body read to the end: whether it ended normally.
    const response = await connections.connection(env, owner, provider, label).fetch(args[0]);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let text = "";
    try {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value, { stream: true });
      return Response.json({ value: { status: response.status, text, completed: true } });
    } catch (e) {
      return Response.json({ value: { status: response.status, text, completed: false, error: e instanceof OAuthError ? e.code : String(e?.name) } });
    }
  }
  if (method === "apiUpload") {
    // A POST of `size` bytes to the API route, built here (no socket between).
    const [path, size, chunked] = args;
    const bytes = new Uint8Array(size);
    const body = chunked ? new ReadableStream({ start(c) { for (let at = 0; at < size; at += 65536) c.enqueue(bytes.slice(at, at + 65536)); c.close(); } }) : bytes;
    const target = new URL(`/connections/${provider}/api${path}?label=${encodeURIComponent(label)}`, url);
    const response = await connections.handle(new Request(target, { method: "POST", headers: { "x-test-user": owner, origin: url.origin }, body }), env);
    return Response.json({ value: { status: response.status, body: await response.text() } });
  }
  const key = JSON.stringify([owner, provider, label]);
  const stub = env[binding].get(env[binding].idFromName(key));
  try {
    return Response.json({ value: (await stub[method](...args)) ?? null });
  } catch (e) {
    return Response.json({ thrown: String(e?.message ?? e) });
  }
}
