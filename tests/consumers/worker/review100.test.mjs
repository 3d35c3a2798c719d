// Review 100 (outside reviewer on ae05907: the restarted commit deferred in load()). Fixture: review 98's (src/review98.mjs: seeds raw entries, resets the object; review 84's knobs).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { startSandbox } from "partner-oauth/sandbox";
import { bundleFixture, bundledScript, sandboxBindings, tokenKey, reviewKit } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist-review100");
const ORIGIN = "https://app.example.com";
const PROVIDERS = ["factorial", "billit"];
let sandbox, mf;
before(async () => {
  await bundleFixture(join(here, "src/review98.mjs"), dist, { out: "review98.mjs" });
  sandbox = await startSandbox({ redirectUris: PROVIDERS.map((p) => `${ORIGIN}/plain/${p}/callback`) });
});
after(async () => {
  await mf?.dispose();
  await sandbox?.close();
});
async function fresh(bindings = {}) {
  await mf?.dispose();
  mf = new Miniflare({
    ...bundledScript(dist, "review98.mjs"),
    durableObjects: { PLAIN: "PlainConnection" },
    bindings: {
      ...sandboxBindings(sandbox, PROVIDERS), STATE_KEY: "review100-statekey-of-at-least-32-bytes!",
      TOKEN_KEYS: tokenKey("k1", 8), REVOKE_DELAY_MS: "0", REFRESH_DELAY_MS: "0", TIMEOUT_MS: "15000", ...bindings,
    },
  });
  await mf.ready;
}
const kit = reviewKit(ORIGIN, () => mf, () => sandbox);
const { sleep, connect } = kit;
const get = async (path, body) => (await mf.dispatchFetch(`${ORIGIN}${path}`, body && { method: "POST", body: JSON.stringify(body) })).json();
const told = async () => (await get("/_test/log")).events;

// A: ae05907 deferred the restarted commit's delivery (onEvent, Queue) out of the construction, but apply() still
// awaits the app's log sink (`log.sink`, app code: "a log shipper over the network", README: "reach a Queue or
// another binding through env") for each of the commit's records before it returns, inside load(), inside the
// constructor's blockConcurrencyWhile. A restart that exhausts the connection (as review 99 A seeds it) logs
// `exhausted` at warn, the default level: a sink slower than 30 s (LOG_SINK_MS, only for `exhausted` here) holds
// the construction until workerd cancels the block and resets the object; every request meanwhile waits and fails.
test("review100 A: a slow log sink on the restart's `exhausted` record does not wedge the object's construction", { timeout: 150_000 }, async () => {
  await fresh({ LOG_SINK_MS: "31000", LOG_SINK_TYPE: "exhausted" });
  const owner = `r100a-${crypto.randomUUID()}`;
  const key = JSON.stringify([owner, "factorial", "x"]);
  assert.equal(await connect(owner), 303);
  await sleep(500);
  const { raw } = await get("/_test/raw", { key, prefix: "conn" });
  assert.equal(raw.conn?.state, "active", "precondition: the connection is stored");
  const conn = { ...raw.conn, state: "refreshing", inflight: { retry: true }, lastRefreshAt: Date.now() - 60_000 };
  await get("/_test/seed", { key, entries: { conn }, inMs: null });
  const t0 = Date.now();
  const answer = await kit.call(`/plain/factorial/status?label=x`, kit.as(owner));
  const took = Date.now() - t0;
  const body = await answer.text();
  const log = (await kit.fixtureLog()).filter((e) => e.at >= t0 && /^sink/.test(e.what));
  console.log(JSON.stringify({ took, status: answer.status, body: body.slice(0, 160), log: log.map((e) => ({ ...e, at: e.at - t0 })) }));
  assert.ok(log.some((e) => e.what === "sink_exhausted"), "precondition: the restart logged `exhausted`");
  assert.ok(took < 10_000, `the status request is answered without waiting on the log sink inside the construction (took ${took} ms)`);
  assert.equal(answer.status, 200, `the status request is answered (${body.slice(0, 160)})`);
});
