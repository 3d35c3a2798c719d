// Review 93 (outside reviewer on review 92 A's defer/release change, commit 8543ee8), review 84's fixture
// (src/review84.mjs) with review 93's LOG_SINK_MS knob: a log sink that takes that long per state change.
import { test } from "node:test";
import assert from "node:assert/strict";
import { reviewFixture, reviewKit } from "./harness.mjs";

const { ORIGIN, fresh, mf, sandbox, sleep, admin, connect, status, disconnect, call, as, post, fixtureLog, waitFor } = reviewFixture("review93", {
  REVOKE_DELAY_MS: "0", REFRESH_DELAY_MS: "0", TIMEOUT_MS: "15000",
});
const told = async () => (await (await mf().dispatchFetch(`${ORIGIN}/_test/log`)).json()).events;
const api = (owner) => call("/plain/factorial/api/v1/employees?label=x", as(owner, { headers: { "sec-fetch-site": "same-origin" } }));

/** G1 connected; the alarm refreshes it at ~2 s; onEvent takes ONEVENT_DELAY_MS for that `refreshed`. While it
 * runs, an API call whose token the API refuses refreshes again (`refuse`: that refresh then fails for good). On a
 * loaded machine the alarm may refresh G1's 2 s token before the switch to 600 s: one refresh more, each told. */
async function refreshDuringDelivery({ refuse = false, ...bindings }) {
  await fresh({ ONEVENT_DELAY_MS: "1000", LOG_SINK_MS: "1500", ...bindings });
  const owner = `r93a-${crypto.randomUUID()}`;
  await admin("switch", { clientId: "factorial-client", expiresIn: 2 });
  assert.equal(await connect(owner), 303);
  await admin("switch", { clientId: "factorial-client", expiresIn: 600 });
  await waitFor("onevent_refreshed"); // the alarm's refresh is being told (a slow webhook)
  await admin("switch", { clientId: "factorial-client", rejectTokens: true, ...(refuse && { refuseRefresh: true }) });
  const answer = await api(owner);
  await admin("switch", { clientId: "factorial-client", reset: true });
  await sleep(5_000); // five outbox retries (outboxRetry: 1 s)
  const log = await fixtureLog();
  const events = await told();
  const refreshes = log.filter((e) => e.what === "token_refresh_token");
  console.log(JSON.stringify({
    api: answer.status, refreshes: refreshes.map((e) => e.status), state: (await status(owner)).state,
    told: events.map((e) => e.type), steps: log.filter((e) => !e.what.startsWith("token_")).map((e) => e.what),
  }));
  return { refreshes, events, owner };
}

test("review93 A1: a refresh committed while an earlier refreshed is being told is told too (refreshed)", async () => {
  const { refreshes, events } = await refreshDuringDelivery({});
  assert.ok(refreshes.length >= 2, "precondition: two refreshes reached the provider");
  assert.ok(refreshes.every((e) => e.status === 200), "precondition: each refresh was granted");
  assert.equal(events.filter((e) => e.type === "refreshed").length, refreshes.length, "each refresh's `refreshed` reached onEvent");
});

test("review93 A2: a refresh that fails for good while an earlier refreshed is being told tells exhausted", async () => {
  const { refreshes, events, owner } = await refreshDuringDelivery({ refuse: true });
  assert.ok(refreshes.length >= 2, "precondition: two refreshes reached the provider");
  assert.equal((await status(owner)).state, "exhausted", "precondition: the connection is exhausted");
  assert.ok(events.some((e) => e.type === "exhausted"), "onEvent was told `exhausted` (the app must ask the user to reconnect)");
});

test("review93 A control: with a quick log sink the second refresh's release finds the delivery running: both told", async () => {
  const { refreshes, events } = await refreshDuringDelivery({ LOG_SINK_MS: "0", ONEVENT_DELAY_MS: "2500" });
  assert.ok(refreshes.length >= 2, "precondition: two refreshes reached the provider");
  assert.equal(events.filter((e) => e.type === "refreshed").length, refreshes.length);
});

// Review 92 B (suspected, confirmed here): a disconnect that lands while its object is delivering an earlier event
// answered before the owner index had its `disconnected`; a connect of another label right after met
// maxConnections (3 here). The index now has a pass of its own, which no onEvent holds up.
test("review93 B: right after a disconnect answered, a connect of another label fits under maxConnections", async () => {
  await fresh({ STATE_MAX_AGE: "5", TIMEOUT_MS: "1000", ONEVENT_DELAY_MS: "3000" });
  const owner = `r93b-${crypto.randomUUID()}`;
  const kit = (label) => reviewKit(ORIGIN, mf, sandbox, { label });
  for (const label of ["x", "y", "z"]) assert.equal(await kit(label).connect(owner), 303);
  await sleep(68_000); // every connect's reservation has lapsed (5 s + 2 × 1 s + 60 s)
  const start = (label) => call(`/plain/factorial/connect?label=${label}`, post(owner)).then((r) => r.status);
  // x's object is telling a `refreshed` (a slow webhook: 3 s) when the user disconnects x.
  await admin("switch", { clientId: "factorial-client", rejectTokens: true });
  const pending = api(owner);
  await waitFor("onevent_refreshed");
  const gone = await disconnect(owner);
  const right = await start("w");
  await pending;
  await admin("switch", { clientId: "factorial-client", reset: true });
  await sleep(3_500);
  const later = await start("v");
  const list = await (await call("/plain", as(owner))).json();
  console.log(JSON.stringify({ disconnect: gone.status, state: gone.body?.status?.state, right, later, live: list.connections?.map((c) => c.label) }));
  assert.equal(gone.status, 200, "precondition: the disconnect answered");
  // Control (only meaningful when `right` was refused: a connect that fit reserves the third slot itself).
  if (right !== 303) assert.equal(later, 303, "control: once the delivery passed, a connect fits");
  assert.equal(right, 303, "a connect right after the disconnect answered fits (2 live connections of 3)");
});
