// Reviews 35 and 36: an outside attack on the cookie fixes of 216fa31 and
// 0e90359 (the flow-cookie reader and the callback's choice of flow
// cookie), then on the fix of review 35's findings (991b6fb). Each
// "finding" test failed when it was committed; no fix is in its commit.
// Review 36's "held" tests pin attacks that fix withstood.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { tmpdir } from "node:os";
import { createHash, webcrypto } from "node:crypto";
import { Miniflare } from "miniflare";
import { startSandbox } from "partner-oauth/sandbox";
import { bundleFixture, bundledScript, sandboxBindings, tokenKey, consent } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist", "reviews"); // under the ignored dist/
const ORIGIN = "https://worker.example.com";
const PROVIDERS = ["billit", "factorial", "payfit", "payout", "tropipay"];
const STATE_KEY = "worker-state-key-of-at-least-32-bytes!";

let sandbox, mf, collector, persist;

before(async () => {
  await bundleFixture(join(here, "src/worker.mjs"), dist);
  persist = mkdtempSync(join(tmpdir(), "po-reviews-"));
  collector = await new Promise((resolve) => {
    const server = http.createServer((req, res) => { req.resume(); req.on("end", () => res.end("ok")); });
    server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` }));
  });
  sandbox = await startSandbox({ redirectUris: [...PROVIDERS, "custom"].flatMap((p) => [`${ORIGIN}/connections/${p}/callback`, `${ORIGIN}/defaults/${p}/callback`, `${ORIGIN}/rewrap/${p}/callback`]) });
  mf = new Miniflare({
    workers: [{
      name: "a", ...bundledScript(dist),
      durableObjects: { CONNECTIONS: "Connection", DEFAULTS: "DefaultConnection", REWRAP: "RewrapConnection" },
      bindings: {
        ...sandboxBindings(sandbox, PROVIDERS),
        STATE_KEY, TOKEN_KEYS: tokenKey("k1", 1),
        TIMEOUT_MS: "1000", COLLECTOR: collector.url,
      },
      queueProducers: { EVENTS: "events" },
      queueConsumers: { events: { maxBatchTimeout: 0.1 } },
    }],
    durableObjectsPersist: persist,
  });
});
after(async () => {
  await mf?.dispose();
  await sandbox?.close();
  collector?.server.close();
  if (persist) rmSync(persist, { recursive: true, force: true });
});

const call = (path, init = {}) => mf.dispatchFetch(new URL(path, ORIGIN), { redirect: "manual", ...init });
const as = (user, init = {}) => ({ ...init, headers: { "x-test-user": user, ...init.headers } });

/** POST connect → consent → { callback, cookie }: the user is at the provider, then redirected back. */
async function begin(user, provider, { label } = {}) {
  const query = new URLSearchParams({ ...(label && { label }) });
  const start = await call(`/connections/${provider}/connect?${query}`, as(user, { method: "POST", headers: { origin: ORIGIN } }));
  assert.equal(start.status, 303, await start.clone().text());
  return { callback: await consent(start.headers.get("location")), cookie: start.headers.get("set-cookie").split(";")[0] };
}

/** The browser's cookie jar after a response: a Set-Cookie of the name with Max-Age=0 removes it. */
function jarAfter(cookie, response) {
  const name = cookie.split("=")[0];
  const set = response.headers.get("set-cookie") ?? "";
  return set.split(/,(?= *__Host-)/).some((c) => c.trim().startsWith(`${name}=`) && /Max-Age=0/i.test(c)) ? "" : cookie;
}

const state = async (user, provider, label) => (await call(`/connections/${provider}/status?label=${encodeURIComponent(label)}`, as(user))).json();

// Finding A. The callback clears the flow cookie on every failure, including
// a request that is not the flow's redirect at all (no state, or another
// state): a same-site page (a sibling subdomain: SameSite=Lax cookies ride
// its <img> and no-cors fetches) or a cross-site top-level navigation sends
// the signed-in user's browser to {base}/:provider/callback with no or forged
// parameters while the user is at the provider's consent page. The genuine
// cookie is then deleted and the real redirect back is refused
// (missing_pending): any page on the site (or any site, with a navigation)
// ends every connect in progress, with no cookie planted and no flow of its own.
test("review35 finding A: a forged callback request (same-site <img>, no state) does not delete the user's pending flow", async () => {
  const flow = await begin("alice", "billit", { label: "review35-a" });
  // What a sibling subdomain's <img src="https://app/connections/billit/callback?state=x"> sends.
  const forged = await call("/connections/billit/callback?code=attacker&state=forged", as("alice", {
    headers: { cookie: flow.cookie, "sec-fetch-site": "same-site", "sec-fetch-mode": "no-cors", "sec-fetch-dest": "image" },
  }));
  assert.notEqual(forged.status, 303, "the forged callback does not connect");
  const jar = jarAfter(flow.cookie, forged);
  // The provider's real redirect comes back next.
  const done = await call(flow.callback.replace(ORIGIN, ""), as("alice", { headers: { cookie: jar } }));
  assert.equal(done.status, 303, `the real callback after a forged one: ${await done.clone().text()} (forged answer's set-cookie: ${forged.headers.get("set-cookie")})`);
  assert.equal((await state("alice", "billit", "review35-a")).state, "active");
});

test("review35 finding A: a cross-site navigation to the callback with no parameters does not delete the user's pending flow", async () => {
  const flow = await begin("alice", "billit", { label: "review35-a2" });
  const forged = await call("/connections/billit/callback", as("alice", {
    headers: { cookie: flow.cookie, "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate", "sec-fetch-dest": "document" },
  }));
  assert.notEqual(forged.status, 200);
  const done = await call(flow.callback.replace(ORIGIN, ""), as("alice", { headers: { cookie: jarAfter(flow.cookie, forged) } }));
  assert.equal(done.status, 303, `the real callback after a forged one: ${await done.clone().text()} (forged answer's set-cookie: ${forged.headers.get("set-cookie")})`);
  assert.equal((await state("alice", "billit", "review35-a2")).state, "active");
});

// Finding B. The callback takes the first cookie that verifies and names this
// user and provider, without asking whether it is the flow this redirect
// answers (its state). The user's own genuine cookie of another flow (an
// older connect, another label: obtained some other way, as a logged or
// copied Cookie header) placed first, by the same planting the reader's
// comment allows for (an old browser's nameless cookie with a longer Path
// reads as one of ours and comes first), stands in front of the user's
// current cookie: the current flow is refused (state_mismatch), the genuine
// cookie is cleared, and one planted cookie (not eight) is enough.
// 0e90359's comment: "a planted cookie, even another user's genuine one,
// cannot stand in front of the user's own".
test("review35 finding B: the user's own cookie of another flow placed first does not block the flow this callback answers", async () => {
  const stale = await begin("alice", "billit", { label: "review35-b-old" });
  const current = await begin("alice", "billit", { label: "review35-b" });
  const done = await call(current.callback.replace(ORIGIN, ""), as("alice", { headers: { cookie: `${stale.cookie}; ${current.cookie}` } }));
  assert.equal(done.status, 303, await done.clone().text());
  assert.equal((await state("alice", "billit", "review35-b")).state, "active");
});

// Finding C. The flow cookie's body is base64url JSON, MAC'd but not
// encrypted, and names its owner as an unkeyed SHA-256 of the owner's id
// (worker-routes.js: `o: await sha256(owner)`). Whoever holds a flow cookie
// (a HAR file or a Cookie header in a log or support ticket, a browser
// extension: "a victim's genuine cookie obtained some other way") learns
// which user started the flow by hashing candidate ids offline (emails,
// numeric ids), and links every flow of that user across STATE_KEY
// rotations. The module's own logs keep owners only as a keyed hash (README:
// "16 bytes of HMAC-SHA-256 under a key derived from STATE_KEY") for this reason.
test("review35 finding C: the flow cookie does not name its owner by an unkeyed SHA-256 of the owner's id", async () => {
  const owner = "alice@example.com";
  const flow = await begin(owner, "billit", { label: "review35-c" });
  const body = JSON.parse(Buffer.from(flow.cookie.slice(flow.cookie.indexOf("=") + 1).split(".")[0], "base64url").toString());
  const unkeyed = createHash("sha256").update(owner).digest("base64url");
  assert.notEqual(body.o, unkeyed, `the cookie's body ${JSON.stringify({ ...body, p: "…" })} names ${owner} by sha256(owner)`);
  assert.equal(JSON.stringify(body).includes(unkeyed), false);
});

// Finding A, without an attacker: one flow cookie per provider, so a second
// connect of the provider (another label, another tab) replaces the first's
// cookie; the first flow's redirect back is then refused (state_mismatch, as
// it must be), and that refusal clears the second flow's cookie as well.
test("review35 finding A: a callback that is not the cookie's flow (the user's earlier tab) does not delete the cookie of the flow in progress", async () => {
  const first = await begin("alice", "billit", { label: "review35-a3-first" });
  const second = await begin("alice", "billit", { label: "review35-a3" });
  // The browser holds only the second cookie; the first tab's redirect arrives.
  const early = await call(first.callback.replace(ORIGIN, ""), as("alice", { headers: { cookie: second.cookie } }));
  assert.equal(early.status, 400);
  const done = await call(second.callback.replace(ORIGIN, ""), as("alice", { headers: { cookie: jarAfter(second.cookie, early) } }));
  assert.equal(done.status, 303, `the second flow's callback: ${await done.clone().text()} (the first's set-cookie: ${early.headers.get("set-cookie")})`);
  assert.equal((await state("alice", "billit", "review35-a3")).state, "active");
});

// ---- review 36 ----

/** A cookie body sealed as worker-cookie.js seals one (the test knows STATE_KEY): a cookie of an older release. */
async function sealAs(value) {
  const body = Buffer.from(JSON.stringify(value)).toString("base64url");
  const key = await webcrypto.subtle.importKey("raw", new TextEncoder().encode(`partner-oauth/worker cookie\0${STATE_KEY}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return `${body}.${Buffer.from(await webcrypto.subtle.sign("HMAC", key, new TextEncoder().encode(body))).toString("base64url")}`;
}
const cookieBody = (cookie) => JSON.parse(Buffer.from(cookie.slice(cookie.indexOf("=") + 1).split(".")[0], "base64url").toString());
/** What a sibling subdomain's <img> sends (SameSite=Lax cookies ride it). */
const IMG = { "sec-fetch-site": "same-site", "sec-fetch-mode": "no-cors", "sec-fetch-dest": "image" };

// Finding A. The core refuses a callback URL longer than 16,384 characters
// as input_too_large, and the routes map input_too_large to 502 (it is
// otherwise a provider's answer over 1 MiB). On the callback the input is the
// request's own URL: any signed-in user (their own session), or a same-site
// page through a signed-in user's browser (<img>, no-cors fetch), gets a
// 502 Bad Gateway logged as `request_refused` with status 502 and code
// input_too_large, which an operator reads as a provider failing. Client
// input should be a 4xx (414 or 400), as the API route's request body is 413.
// Predates 991b6fb. Reachable in production only where the edge passes a URL
// of that length (Cloudflare's URL limit is about 16 KB; workerd elsewhere has none).
test("review36 finding A: a callback URL over the core's 16 KB limit (the request's own input) is a 4xx, not 502 Bad Gateway", async () => {
  const flow = await begin("alice", "billit", { label: "review36-a" });
  const long = await call(`/connections/billit/callback?code=x&state=${"a".repeat(16_400)}`, as("alice", { headers: { cookie: flow.cookie, ...IMG } }));
  const body = await long.json();
  assert.equal(body.error, "input_too_large");
  assert.ok(long.status >= 400 && long.status < 500, `the request's own oversized URL answered ${long.status}`);
});

// ---- what held -------------------------------------------------------------

test("review36 held: a forged stateless denial (what Billit's real one looks like) keeps the flow; the real redirect completes", async () => {
  const flow = await begin("alice", "billit", { label: "review36-h1" });
  const forged = await call("/connections/billit/callback?error=access_denied", as("alice", { headers: { cookie: flow.cookie, ...IMG } }));
  assert.equal(forged.status, 400);
  assert.equal((await forged.json()).error, "access_denied");
  assert.equal(forged.headers.get("set-cookie"), null);
  const done = await call(flow.callback.replace(ORIGIN, ""), as("alice", { headers: { cookie: jarAfter(flow.cookie, forged) } }));
  assert.equal(done.status, 303, await done.clone().text());
  assert.equal((await state("alice", "billit", "review36-h1")).state, "active");
});

test("review36 held: the attacker's own genuine cookie, state and code planted first in the victim's browser connect nothing and leave the victim's flow", async () => {
  const mallory = await begin("mallory", "billit", { label: "review36-h2" });
  const alice = await begin("alice", "billit", { label: "review36-h2" });
  const jar = `${mallory.cookie}; ${alice.cookie}`;
  const planted = await call(mallory.callback.replace(ORIGIN, ""), as("alice", { headers: { cookie: jar, ...IMG } }));
  assert.equal(planted.status, 400);
  assert.equal((await planted.json()).error, "state_mismatch");
  assert.equal(planted.headers.get("set-cookie"), null);
  // The victim's state with the attacker's code, the state repeated: refused before the exchange.
  const state1 = new URL(alice.callback).searchParams.get("state");
  const code = new URL(mallory.callback).searchParams.get("code");
  const twice = await call(`/connections/billit/callback?code=${code}&state=${state1}&state=${state1}`, as("alice", { headers: { cookie: jar, ...IMG } }));
  assert.equal((await twice.json()).error, "invalid_callback");
  assert.equal(twice.headers.get("set-cookie"), null);
  const done = await call(alice.callback.replace(ORIGIN, ""), as("alice", { headers: { cookie: jar } }));
  assert.equal(done.status, 303, await done.clone().text());
  assert.equal((await state("alice", "billit", "review36-h2")).state, "active");
  // Mallory's flow is still hers to finish.
  const hers = await call(mallory.callback.replace(ORIGIN, ""), as("mallory", { headers: { cookie: mallory.cookie } }));
  assert.equal(hers.status, 303, await hers.clone().text());
});

test("review36 held: an old-format cookie (no state, unkeyed owner) is a typed invalid_pending, never a 500", async () => {
  const flow = await begin("alice", "billit", { label: "review36-h3" });
  const { p, l, v } = cookieBody(flow.cookie);
  const old = await sealAs({ o: createHash("sha256").update("alice").digest("base64url"), v, l, p });
  const answer = await call(flow.callback.replace(ORIGIN, ""), as("alice", { headers: { cookie: `__Host-partner-oauth-billit=${old}` } }));
  assert.equal(answer.status, 400);
  assert.equal((await answer.json()).error, "invalid_pending");
});

test("review36 held: the flow cookie stays far under 4096 bytes with the longest label (128 three-byte characters) and owner", async () => {
  for (const provider of PROVIDERS) {
    const start = await call(`/connections/${provider}/connect?${new URLSearchParams({ label: "€".repeat(128) })}`, as("u".repeat(512), { method: "POST", headers: { origin: ORIGIN } }));
    assert.equal(start.status, 303, await start.clone().text());
    const cookie = start.headers.get("set-cookie").split(";")[0];
    assert.ok(Buffer.byteLength(cookie) < 2048, `${provider}: ${Buffer.byteLength(cookie)} bytes`);
    assert.equal(typeof cookieBody(cookie).s, "string");
  }
});
