// Review 92 (outside reviewer on review 91's store change), A: an app whose onEvent, told `refreshed` or
// `refresh_failed`, disconnects the connection it is told about (ONEVENT_REENTER in review 84's fixture). The
// refresh held its slot while its commit delivered its events, and the disconnect waits for that slot: the
// disconnect onEvent sent, the refresh and every call behind them waited until the refresh's timeout. Now a
// refresh's commits leave their events until its slot is free; the refresh's caller still waits for their delivery.
import { test } from "node:test";
import assert from "node:assert/strict";
import { reviewFixture } from "./harness.mjs";

const { fresh, sleep, admin, connect, status, disconnect, fixtureLog, waitFor } = reviewFixture("review92", {
  REVOKE_DELAY_MS: "0", REFRESH_DELAY_MS: "0", TIMEOUT_MS: "15000",
});
const within = (promise, ms) => Promise.race([promise, sleep(ms).then(() => "no answer")]);

/** G1 connected, due for the alarm's refresh at 2 s; onEvent told `type` disconnects it. */
async function reenterAtRefresh(type, bindings = {}) {
  await fresh({ ONEVENT_REENTER: type, ...bindings });
  const owner = `r92a-${crypto.randomUUID()}`;
  await admin("switch", { clientId: "factorial-client", expiresIn: 2 });
  assert.equal(await connect(owner), 303);
  await admin("switch", { clientId: "factorial-client", expiresIn: 600 });
  await waitFor("reenter_sent");
  const t0 = Date.now();
  let answered;
  for (let i = 0; i < 60 && !answered; i++) {
    answered = (await fixtureLog()).find((e) => e.what === "reenter_answered");
    if (!answered) await sleep(100);
  }
  const waited = Date.now() - t0;
  const later = await within(disconnect(owner), 8_000);
  const log = await fixtureLog();
  await admin("switch", { clientId: "factorial-client", reset: true });
  console.log(JSON.stringify({ type, waited, later: later.status ?? later, steps: log.filter((e) => !e.what.startsWith("token_")).map((e) => e.what) }));
  assert.ok(answered, "the disconnect onEvent sent answers (it waited for the refresh's slot, held by its own delivery)");
  assert.equal(answered.answer?.status?.state, "disconnected", "and ended the connection");
  assert.equal((await status(owner)).state, "disconnected");
  assert.equal(later.status, 404, "a later disconnect answers at once: nothing is left to end (connection_not_found)");
  assert.equal(await within(connect(owner), 8_000), 303, "a reconnect lands");
  assert.equal((await status(owner)).state, "active");
}

test("review92 A1: onEvent told refreshed (the alarm's refresh) disconnects its own connection: it answers", async () => {
  await reenterAtRefresh("refreshed");
});

test("review92 A2: onEvent told refresh_failed (a 503 at the alarm's refresh) disconnects its own connection: it answers", async () => {
  await reenterAtRefresh("refresh_failed", { REFRESH_DELAY_MS: "300", REFRESH_STATUS: "503" });
});
