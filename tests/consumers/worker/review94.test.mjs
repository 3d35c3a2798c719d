// Review 94 (outside reviewer on review 93's fixes, commit 640556c), review 84's fixture (src/review84.mjs). It
// failed on 640556c (4 live of 3) and passes since that commit's direct index write was reverted.
import { test } from "node:test";
import assert from "node:assert/strict";
import { reviewFixture, reviewKit } from "./harness.mjs";

const { ORIGIN, fresh, mf, sandbox, sleep, admin, call, as, post, waitFor, fixtureLog } = reviewFixture("review94", {
  REVOKE_DELAY_MS: "0", REFRESH_DELAY_MS: "0", TIMEOUT_MS: "15000",
});
const kit = (label) => reviewKit(ORIGIN, mf, sandbox, { label });
const list = async (owner) => ((await (await call("/plain", as(owner))).json()).connections ?? []).map((c) => c.label).sort();

// B1: review 93 B's direct write takes z's end out of the owner index while z's earlier events are still being
// delivered (a slow onEvent for `refreshed`). Before 640556c z's entry stayed listed until its `disconnected` was
// delivered in order (an over-count). Now it is gone at once; z reconnects, and its `connected` waits behind the
// same slow delivery while the reconnect's reservation lapses (stateMaxAge + 2 timeoutMs + 60 s): a connect of a
// new label then finds two slots held of three, takes the third, and z's `connected` lists z again: 4 of 3.
test("review94 B1: a reconnect whose connected waits behind a slow delivery keeps its slot (never 4 of 3)", async () => {
  await fresh({ STATE_MAX_AGE: "2", TIMEOUT_MS: "1000", ONEVENT_DELAY_MS: "90000" });
  const owner = `r94b1-${crypto.randomUUID()}`;
  for (const label of ["x", "y", "z"]) assert.equal(await kit(label).connect(owner), 303);
  // z's object starts telling a `refreshed` (a slow webhook: 90 s): an API call whose token is refused refreshes it.
  await admin("switch", { clientId: "factorial-client", rejectTokens: true });
  const pending = call("/plain/factorial/api/v1/employees?label=z", as(owner, { headers: { "sec-fetch-site": "same-origin" } }));
  await waitFor("onevent_refreshed");
  const passStarted = Date.now();
  await admin("switch", { clientId: "factorial-client", reset: true });
  const gone = await kit("z").disconnect(owner);
  assert.equal(gone.status, 200, "precondition: z's disconnect answered");
  const reconnected = Date.now();
  assert.equal(await kit("z").connect(owner), 303, "precondition: z reconnected (its consent landed)");
  assert.equal((await kit("z").status(owner)).state, "active", "precondition: z is live again");
  await sleep(Math.max(0, reconnected + 67_000 - Date.now())); // z's reconnect reservation lapsed (2 s + 2 s + 60 s)
  assert.ok(Date.now() < passStarted + 85_000, "precondition: z's delivery still runs");
  const start = await call("/plain/factorial/connect?label=w", post(owner));
  let w = null;
  if (start.status === 303) w = await kit("w").connect(owner);
  await pending;
  await sleep(Math.max(0, passStarted + 93_000 - Date.now())); // z's delivery passed: its events reach the index
  const live = await list(owner);
  console.log(JSON.stringify({ start: start.status, w, live, steps: (await fixtureLog()).filter((e) => !e.what.startsWith("token_")).map((e) => e.what) }));
  assert.ok(live.length <= 3, `the owner holds ${live.length} live connections of maxConnections 3: ${live}`);
  assert.equal(start.status, 409, "the connect of a fourth label is too_many_connections");
});
