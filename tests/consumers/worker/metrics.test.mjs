// Issue 30, items 2 and 3 in real workerd (Miniflare) against the sandbox:
// reconnect forecasts (`reconnect_due`, once per grant) and the metrics'
// data points. Miniflare's Analytics Engine binding accepts points but
// cannot be queried, so the fixture (src/metrics.mjs) writes each point to
// a stub with the same interface as well, and this test runs the README's
// queries against those points in SQLite (sql.js). Tests poll to deadlines.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { Miniflare } from "miniflare";
import initSqlJs from "sql.js";
import { startSandbox, sandboxClients } from "partner-oauth/sandbox";
import { bundleFixture, bundledScript, sandboxBindings, tokenKey, until } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist-metrics");
const ORIGIN = "https://worker.example.com";
const PROVIDERS = ["payfit", "payout", "factorial", "billit"];
let sandbox, mf;

before(async () => {
  await bundleFixture(join(here, "src/metrics.mjs"), dist);
  sandbox = await startSandbox({ redirectUris: PROVIDERS.flatMap((p) => [`${ORIGIN}/connections/${p}/callback`, `${ORIGIN}/absent/${p}/callback`]) });
  await fetch(`${sandbox.url}/_sandbox/consent`, { method: "POST", body: JSON.stringify({ decision: "approve" }) });
  mf = new Miniflare({
    ...bundledScript(dist),
    durableObjects: { CONNECTIONS: "Connection", ABSENT: "AbsentConnection" },
    analyticsEngineDatasets: { AE: { dataset: "partner_oauth" } },
    bindings: {
      ...sandboxBindings(sandbox, PROVIDERS),
      STATE_KEY: "worker-state-key-of-at-least-32-bytes!", TOKEN_KEYS: tokenKey("k1", 1),
    },
  });
});
after(async () => {
  await mf?.dispose();
  await sandbox?.close();
});

const call = (path, init = {}) => mf.dispatchFetch(new URL(path, ORIGIN), { redirect: "manual", ...init });
const q = (label) => `?label=${encodeURIComponent(label)}`;
const state = async (user, provider, label, base = "/connections") => (await call(`${base}/${provider}/status${q(label)}`, { headers: { "x-test-user": user } })).json();
const recorded = async () => (await call("/_test/points")).json();
const switchOn = (provider, settings) => fetch(`${sandbox.url}/_sandbox/switch`, { method: "POST", body: JSON.stringify({ clientId: sandboxClients(provider).main.clientId, ...settings }) });
const eventsOf = async (owner, type) => (await recorded()).events.filter((e) => e.owner === owner && e.type === type);

async function connect(user, provider, label, base = "/connections") {
  const start = await call(`${base}/${provider}/connect${q(label)}`, { method: "POST", headers: { "x-test-user": user, origin: ORIGIN } });
  assert.equal(start.status, 303, await start.clone().text());
  const cookie = start.headers.get("set-cookie").split(";")[0];
  const back = await fetch(start.headers.get("location"), { redirect: "manual" });
  const done = await call(back.headers.get("location").replace(ORIGIN, ""), { headers: { "x-test-user": user, cookie } });
  assert.equal(done.status, 303, await done.clone().text());
  return state(user, provider, label, base);
}

// Distinctive strings that must never reach a data point.
const OWNER = "owner-pii-7f3a@example.com";
const LABEL = "label-pii-91c2";

test("forecast: failing refreshes that will outlast Payout's refresh token tell reconnect_due once per grant", async () => {
  await switchOn("payout", { expiresIn: 2 });
  const first = await connect(OWNER, "payout", LABEL);
  assert.equal(first.reconnect, null, "a fresh grant has no forecast");
  // The token endpoint fails twice: backoff, with the refresh token (30 s here) not renewed.
  await switchOn("payout", { unavailable: { on: "token", status: 503, times: 2 } });
  await until(async () => (await eventsOf(OWNER, "reconnect_due")).length === 1, "reconnect_due");
  const failing = await state(OWNER, "payout", LABEL);
  if (failing.state === "backoff") assert.equal(failing.reconnect.reason, "refresh_failing");
  // The refresh then succeeds (rotated): no forecast any more.
  await until(async () => { const s = await state(OWNER, "payout", LABEL); return s.state === "active" && s.reconnect === null; }, "recovered");
  // A second failing spell of the same grant tells nothing more.
  const failed = (await eventsOf(OWNER, "refresh_failed")).length;
  await switchOn("payout", { unavailable: { on: "token", status: 503, times: 1 } });
  await until(async () => (await eventsOf(OWNER, "refresh_failed")).length > failed, "another failed refresh");
  await until(async () => (await state(OWNER, "payout", LABEL)).state === "active", "recovered again");
  assert.equal((await eventsOf(OWNER, "reconnect_due")).length, 1);
  await switchOn("payout", { reset: true });
});

test("forecast: Factorial's refresh token, renewed at each refresh, never tells reconnect_due", async () => {
  await switchOn("factorial", { expiresIn: 2 });
  const first = await connect("rotating", "factorial", "");
  // Its refresh token lives 30 s here and the notice is 60 s: were rotation ignored, it would be due at once.
  await until(async () => (await eventsOf("rotating", "refreshed")).length >= 2, "two refreshes");
  const now = await state("rotating", "factorial", "");
  assert.ok(now.refreshTokenIssuedAt > first.refreshTokenIssuedAt);
  assert.equal(now.reconnect, null);
  assert.deepEqual(await eventsOf("rotating", "reconnect_due"), []);
  await switchOn("factorial", { reset: true });
});

test("forecast: an absolute grant lifetime (grantLifetime) tells reconnect_due, and status shows it", async () => {
  const status = await connect("owner-with-grant-lifetime", "billit", "");
  assert.equal(status.reconnect.reason, "grant_lifetime");
  assert.equal(status.reconnect.endsAt - status.connectedAt, 30_000);
  await until(async () => (await eventsOf("owner-with-grant-lifetime", "reconnect_due")).length === 1, "reconnect_due");
  assert.equal((await state("owner-with-grant-lifetime", "billit", "")).reconnect.due, true);
  // The event says why and when, as the forecast does.
  const [told] = await eventsOf("owner-with-grant-lifetime", "reconnect_due");
  assert.equal(told.reason, "grant_lifetime");
  assert.equal(told.endsAt, new Date(status.reconnect.endsAt).toISOString());
  // The owner's list shows the forecast too.
  const rows = await (await call("/connections", { headers: { "x-test-user": "owner-with-grant-lifetime" } })).json();
  const row = (rows.connections ?? rows).find((r) => r.provider === "billit");
  assert.equal(row.reconnect.reason, "grant_lifetime");
  assert.equal(row.reconnect.endsAt, status.reconnect.endsAt);
});

test("config: a metrics or queue binding absent from env is told once each, as a config_error record", async () => {
  await connect("absent-bindings", "payout", "one", "/absent");
  await connect("absent-bindings", "payout", "two", "/absent");
  const { logs } = await until(async () => {
    const seen = await recorded();
    return ["metrics", "queue"].every((option) => seen.logs.some((r) => r.option === option)) && seen;
  }, "both config_error records");
  for (const option of ["metrics", "queue"]) {
    const told = logs.filter((r) => r.option === option);
    assert.equal(told.length, 1, JSON.stringify(logs));
    assert.deepEqual({ level: told[0].level, event: told[0].event, code: told[0].code }, { level: "error", event: "config_error", code: "invalid_config" });
  }
});

test("metrics: fixed field positions, no private data, and the README's queries answer", async () => {
  // A PayFit connection (a company id) and a budget wait.
  const payfit = await connect(OWNER, "payfit", LABEL);
  const api = await call(`/connections/payfit/api/companies/${payfit.companyId}${q(LABEL)}`, { headers: { "x-test-user": OWNER } });
  assert.equal(api.status, 200);
  await until(async () => (await recorded()).points.some((p) => p.blobs[0] === "heartbeat" && p.blobs[1] === "payfit"), "a heartbeat");
  const { points, realErrors } = await recorded();
  assert.deepEqual(realErrors, [], "Miniflare's Analytics Engine binding took every point");
  for (const point of points) {
    assert.equal(point.indexes.length, 1);
    assert.equal(point.blobs.length, 5);
    assert.equal(point.doubles.length, 4);
    assert.equal(point.indexes[0], point.blobs[1]);
  }
  // Positions: blob1 event, blob2 provider, blob3 state, blob4 code, blob5 key id;
  // double1 count, double2 refresh latency, double3 budget wait, double4 days to a reconnect.
  const connected = points.find((p) => p.blobs[0] === "connected" && p.blobs[1] === "payout");
  assert.deepEqual(connected.blobs, ["connected", "payout", "active", "", "k1"]);
  assert.equal(connected.doubles[0], 1);
  const failed = points.find((p) => p.blobs[0] === "refresh_failed" && p.blobs[1] === "payout");
  assert.equal(failed.blobs[2], "backoff");
  assert.ok(failed.blobs[3].length > 0, "the failure's code");
  assert.ok(failed.doubles[1] >= 0, "the refresh's latency");
  assert.ok(points.some((p) => p.blobs[0] === "refreshed" && p.doubles[1] >= 0));
  assert.ok(points.some((p) => p.blobs[0] === "reconnect_due" && p.blobs[1] === "payout" && p.blobs[3] === "refresh_failing"));
  assert.ok(points.some((p) => p.blobs[0] === "reconnect_due" && p.blobs[1] === "billit" && p.blobs[3] === "grant_lifetime"));
  const wait = points.find((p) => p.blobs[0] === "budget_reads" && p.blobs[1] === "payfit");
  assert.equal(wait.blobs[3], "granted");
  assert.ok(wait.doubles[2] >= 0);
  // Nothing of the user: owner, label, company id, scopes, any token the sandbox issued.
  const text = JSON.stringify(points);
  const tokens = await (await fetch(`${sandbox.url}/_sandbox/tokens`)).json();
  const secrets = [...(tokens.access ?? []), ...(tokens.refresh ?? [])].map((t) => (typeof t === "string" ? t : t.token ?? JSON.stringify(t)));
  for (const secret of [OWNER, LABEL, payfit.companyId, "rotating", "owner-with-grant-lifetime", ...payfit.scopes, ...secrets]) {
    assert.equal(text.includes(secret), false, `a point holds ${secret.slice(0, 12)}…`);
  }
  // The README's queries, as printed, against these points (the time window filled in).
  const readme = readFileSync(join(here, "../node_modules/partner-oauth/README.md"), "utf8");
  const queries = [...readme.matchAll(/```sql\n(-- [^\n]*\n[\s\S]*?)```/g)].map((m) => m[1]);
  const ask = await sqlOver(points);
  const need = queries.find((s) => s.startsWith("-- How many connections need a reconnect?"));
  const keys = queries.find((s) => s.startsWith("-- Which key ids are still in use?"));
  assert.ok(need && keys, "the README has both queries");
  const needing = ask(need);
  assert.ok(needing.some((row) => row.provider === "billit" && row.connections >= 1), JSON.stringify(needing));
  assert.ok(!needing.some((row) => row.provider === "factorial"), "a rotating grant needs no reconnect");
  assert.deepEqual(ask(keys).map((row) => row.key_id), ["k1"]);
});

/** A query runner over the points, as Analytics Engine lays them out (one row, `_sample_interval` 1). */
async function sqlOver(points) {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  const blobs = [1, 2, 3, 4, 5].map((i) => `blob${i} TEXT`).join(", ");
  const doubles = [1, 2, 3, 4].map((i) => `double${i} REAL`).join(", ");
  db.run(`CREATE TABLE partner_oauth (timestamp INTEGER, _sample_interval INTEGER, index1 TEXT, ${blobs}, ${doubles})`);
  for (const p of points) db.run("INSERT INTO partner_oauth VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [p.timestamp, p.indexes[0], ...p.blobs, ...p.doubles]);
  return (query) => {
    // The one spelling SQLite lacks: NOW() - INTERVAL 'n' DAY, as milliseconds.
    const sql = query.replace(/NOW\(\) - INTERVAL '(\d+)' DAY/g, (_, days) => String(Date.now() - days * 86_400_000));
    const [result] = db.exec(sql);
    return result ? result.values.map((row) => Object.fromEntries(row.map((value, i) => [result.columns[i], value]))) : [];
  };
}
