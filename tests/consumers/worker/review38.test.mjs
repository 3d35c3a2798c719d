// Review 38: an outside attack on review 37's fixes (0d75e65..main): config_error
// logging and 5xx of operator-only codes, the proxied answer's caching headers,
// the cut-short body, invalid_client as transient, the status route's
// cross-site check, the starter's setup hint. Each "finding" test failed when
// it was committed; no fix is in its commit. Fixture: review 37's
// (src/review37.mjs: the README's integration, default log level "warn").
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { tmpdir } from "node:os";
import { Miniflare } from "miniflare";
import { startSandbox } from "partner-oauth/sandbox";
import { bundleFixture, bundledScript, sandboxBindings, tokenKey, consent } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist", "review38"); // under the ignored dist/
const ORIGIN = "https://worker.example.com";
const PROVIDERS = ["billit", "factorial", "payfit", "payout", "tropipay"];
const STATE_KEY = "worker-state-key-of-at-least-32-bytes!";

let sandbox, mf, persist;
let output = "";

before(async () => {
  await bundleFixture(join(here, "src/review37.mjs"), dist);
  persist = mkdtempSync(join(tmpdir(), "po-review38-"));
  sandbox = await startSandbox({ redirectUris: PROVIDERS.flatMap((p) => [`${ORIGIN}/connections/${p}/callback`, `${ORIGIN}/wrong/${p}/callback`]) });
  mf = new Miniflare({
    ...bundledScript(dist),
    durableObjects: { CONNECTIONS: "Connection", WRONG: "WrongConnection" },
    bindings: { ...sandboxBindings(sandbox, PROVIDERS), STATE_KEY, TOKEN_KEYS: tokenKey("k1", 1), ORIGIN },
    durableObjectsPersist: persist,
    handleRuntimeStdio(stdout, stderr) {
      for (const stream of [stdout, stderr]) stream.on("data", (chunk) => { output += chunk; });
    },
  });
  await mf.ready;
});
after(async () => {
  await mf?.dispose();
  await sandbox?.close();
  if (persist) rmSync(persist, { recursive: true, force: true });
});

const call = (path, init = {}) => mf.dispatchFetch(new URL(path, ORIGIN), { redirect: "manual", ...init });
const as = (user, init = {}) => ({ ...init, headers: { "x-test-user": user, ...init.headers } });
/** The log records the default sink wrote (one JSON line each). */
const records = () => output.split("\n").flatMap((line) => {
  const at = line.indexOf("{");
  try { return at < 0 ? [] : [JSON.parse(line.slice(at))]; } catch { return []; }
});

async function connect(user, provider, label) {
  const query = new URLSearchParams({ ...(label && { label }) });
  const start = await call(`/connections/${provider}/connect?${query}`, as(user, { method: "POST", headers: { origin: ORIGIN } }));
  assert.equal(start.status, 303, await start.clone().text());
  const callback = await consent(start.headers.get("location"));
  const cookie = start.headers.get("set-cookie").split(";")[0];
  const done = await call(callback.replace(ORIGIN, ""), as(user, { headers: { cookie } }));
  assert.equal(done.status, 303, await done.clone().text());
}

// Finding A. worker-log.js now logs every `invalid_client` a route answers as
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

// Finding B. `missing_endpoint` is now a config_error at "error" and a 500. A
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
