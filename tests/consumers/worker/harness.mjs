// What every Worker test file sets up alike: its fixture bundled as wrangler
// bundles it (condition "workerd", `cloudflare:*` external, the .wasm a
// CompiledWasm module beside it), the Miniflare options that load that
// bundle, and the sandbox's clients and endpoints as the fixtures read them.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { before, after } from "node:test";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";
import { sandboxClients, startSandbox } from "partner-oauth/sandbox";

export const COMPATIBILITY_DATE = "2026-04-01";

/** Bundles `entry` into `dist/out` with the installed package's .wasm beside it. */
export async function bundleFixture(entry, dist, { out = "worker.mjs", ...build } = {}) {
  mkdirSync(dist, { recursive: true });
  await esbuild.build({
    entryPoints: [entry], outfile: join(dist, out), bundle: true, format: "esm", platform: "neutral",
    conditions: ["workerd", "worker"], external: ["cloudflare:workers", "*.wasm"], logLevel: "warning", ...build,
  });
  copyFileSync(createRequire(import.meta.url).resolve("partner-oauth/partner_oauth_bg.wasm"), join(dist, "partner_oauth_bg.wasm"));
}

/** Miniflare's options for a bundle of bundleFixture. */
export function bundledScript(dist, out = "worker.mjs") {
  return {
    modules: true, scriptPath: join(dist, out), modulesRoot: dist, compatibilityDate: COMPATIBILITY_DATE,
    modulesRules: [{ type: "ESModule", include: ["**/*.mjs", "**/*.js"] }, { type: "CompiledWasm", include: ["**/*.wasm"] }],
  };
}

/** CLIENTS and ENDPOINTS, each provider's sandbox client and endpoints as JSON. */
export function sandboxBindings(sandbox, providers) {
  return {
    CLIENTS: JSON.stringify(Object.fromEntries(providers.map((p) => [p, sandboxClients(p).main]))),
    ENDPOINTS: JSON.stringify(Object.fromEntries(providers.map((p) => [p, sandbox.endpoints(p)]))),
  };
}

/** A TOKEN_KEYS entry: `id:` and 32 bytes of `byte`, base64url. */
export const tokenKey = (id, byte) => `${id}:${Buffer.alloc(32, byte).toString("base64url")}`;

/** Polls `check` until it returns a truthy value (returned), or fails at the deadline. */
export async function until(check, what, ms = 20000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The sandbox consent page's Approve or Deny, as a browser would press it: the callback URL. */
export async function consent(url, decision = "approve") {
  const html = await (await fetch(url)).text();
  const request = html.match(/name="request" value="([^"]+)"/)[1];
  const action = html.match(/action="([^"]+)"/)[1];
  const answer = await fetch(new URL(action, url), {
    method: "POST", redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ request, decision }),
  });
  return answer.headers.get("location");
}

/** What the review80–88 tests share: `call(path, init)` relays a request into the fixture's routes
 * (its `/_test/relay`), `as(user)` and `post(user)` make a user's request and a same-origin POST,
 * `admin(route, body)` drives the sandbox's switches, `works(token)` asks the sandbox's Factorial
 * API whether an access token is still good. On the connection at `route` with `label`: `begin(user)`
 * connects up to the consent given at the provider and returns the callback's sender (which answers
 * its status), `connect(user)` sends it too, `status(user)` and `disconnect(user)` (its `at`: ms since
 * `t0`). From the review 84 fixture: `fixtureLog()`, `waitFor(what)`, `live(refreshToken)` and
 * `exchanged(log)`. `mf` and `sandbox` are getters: each test makes its own. */
export function reviewKit(origin, mf, sandbox, { route = "/plain/factorial", label = "x", providers = ["factorial", "billit"] } = {}) {
  const as = (user, init = {}) => ({ ...init, headers: { "x-test-user": user, ...init.headers } });
  const post = (user) => as(user, { method: "POST", headers: { origin } });
  const call = (path, { method, headers, body } = {}) => mf().dispatchFetch(new URL("/_test/relay", origin), {
    method: "POST", redirect: "manual", body: JSON.stringify({ path, method, headers, body }),
  });
  const fixtureLog = async () => (await (await mf().dispatchFetch(`${origin}/_test/log`)).json()).log;
  const begin = async (user) => {
    const start = await call(`${route}/connect?label=${label}`, post(user));
    assert.equal(start.status, 303);
    const cookie = start.headers.get("set-cookie").split(";")[0];
    const callback = await consent(start.headers.get("location"));
    return async () => (await call(callback.replace(origin, ""), as(user, { headers: { cookie } }))).status;
  };
  return {
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    call,
    as,
    post,
    admin: (route, body) => fetch(`${sandbox().url}/_sandbox/${route}`, { method: "POST", body: body && JSON.stringify(body) }).then((r) => r.json()),
    works: async (token) => (await fetch(`${sandbox().url}/factorial/api/v1/employees`, { headers: { authorization: `Bearer ${token}` } })).status === 200,
    begin,
    connect: async (user) => (await begin(user))(),
    status: async (user) => (await (await call(`${route}/status?label=${label}`, as(user))).json()),
    disconnect: (user, t0 = Date.now()) => call(`${route}/disconnect?label=${label}`, post(user))
      .then(async (r) => ({ status: r.status, body: await r.json(), at: Date.now() - t0 })),
    fixtureLog,
    /** Waits (up to 15 s) until the fixture's log has a `what` entry. */
    waitFor: async (what) => {
      for (let i = 0; i < 150; i++) {
        if ((await fixtureLog()).some((e) => e.what === what)) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.fail(`precondition: ${what} never logged`);
    },
    /** Is a Factorial grant live at the sandbox? Its refresh token sent to the token endpoint (200: live); that spends it. */
    live: async (refreshToken) => {
      const bindings = sandboxBindings(sandbox(), providers);
      const credentials = JSON.parse(bindings.CLIENTS).factorial, endpoints = JSON.parse(bindings.ENDPOINTS).factorial;
      const answer = await fetch(endpoints.token ?? endpoints.tokenUrl, {
        method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: credentials.clientId, client_secret: credentials.clientSecret }),
      });
      return answer.status === 200;
    },
    /** The refresh tokens of the grants the fixture saw made by a code exchange, in order. */
    exchanged: (log) => log.filter((e) => e.what === "token_authorization_code").map((e) => e.refresh),
  };
}

const ORIGIN = "https://app.example.com";
const REVIEW_PROVIDERS = ["factorial", "billit"];

/** Review 84's fixture (src/review84.mjs) for one review's test file: bundles it into `dist-<name>` and starts
 * the sandbox before the file's tests, disposes both after. `fresh(bindings)` starts a new Miniflare with
 * `bindings` over `defaults` (its knobs: the fixture's header comment). With `reviewKit`'s helpers, `mf()`
 * and `sandbox()`. */
export function reviewFixture(name, defaults = {}, { fixture = "review84", objects = { PLAIN: "PlainConnection" } } = {}) {
  const here = dirname(fileURLToPath(import.meta.url));
  const dist = join(here, `dist-${name}`);
  // Each binding serves its lowercased route (PLAIN: /plain/<provider>/...).
  const routes = Object.keys(objects).map((binding) => binding.toLowerCase());
  let sandbox, mf;
  before(async () => {
    await bundleFixture(join(here, `src/${fixture}.mjs`), dist, { out: `${fixture}.mjs` });
    sandbox = await startSandbox({ redirectUris: routes.flatMap((r) => REVIEW_PROVIDERS.map((p) => `${ORIGIN}/${r}/${p}/callback`)) });
  });
  after(async () => {
    await mf?.dispose();
    await sandbox?.close();
  });
  const fresh = async (bindings = {}) => {
    await mf?.dispose();
    mf = new Miniflare({
      ...bundledScript(dist, `${fixture}.mjs`),
      durableObjects: objects,
      bindings: {
        ...sandboxBindings(sandbox, REVIEW_PROVIDERS), STATE_KEY: `${name}-state-key-of-at-least-32-bytes!`,
        TOKEN_KEYS: tokenKey("k1", 8), ...defaults, ...bindings,
      },
    });
    await mf.ready;
    return mf;
  };
  /** The fixture's own /_test routes: JSON in (POST when `body`), JSON out. */
  const testApi = async (path, body) => (await mf.dispatchFetch(`${ORIGIN}${path}`, body && { method: "POST", body: JSON.stringify(body) })).json();
  return { ORIGIN, fresh, testApi, mf: () => mf, sandbox: () => sandbox, ...reviewKit(ORIGIN, () => mf, () => sandbox) };
}

/** With review 98's fixture (src/review98.mjs): `owner`'s connection x, connected, stored as a reset leaves it while
 * its retry refresh (its one retry after an earlier restart) waits on the provider, the object reset; then a status
 * request builds it again, whose restart exhausts it. Timed from the request. */
export async function restartDuringRetry({ connect, sleep, testApi, call, as }, owner) {
  const key = JSON.stringify([owner, "factorial", "x"]);
  assert.equal(await connect(owner), 303);
  await sleep(500);
  const { raw, alarm: alarmBefore } = await testApi("/_test/raw", { key, prefix: "conn" });
  assert.equal(raw.conn?.state, "active", "precondition: the connection is stored");
  const conn = { ...raw.conn, state: "refreshing", inflight: { retry: true }, lastRefreshAt: Date.now() - 60_000 };
  await testApi("/_test/seed", { key, entries: { conn }, inMs: null });
  const t0 = Date.now();
  const answer = await call(`/plain/factorial/status?label=x`, as(owner));
  return { t0, alarmBefore, answer, took: Date.now() - t0, body: await answer.text() };
}
