// Review 90 (outside reviewer on reviews 88 and 89): an app whose onEvent disconnects the connection it is told
// about (ONEVENT_REENTER in review 84's fixture). A1, new in review 89: onEvent told `grant_orphaned` (a consent
// refused by a disconnect, its grant revoked) disconnects again; that disconnect (nothing live: the not-live
// path) waited for the exchanges in flight, among them the refused consent still delivering that very event, so
// neither disconnect answered, nor any reconnect after them. Now a disconnect waits for an orphan's revocation,
// not for its event's delivery. A2 (older): onEvent told `connected` disconnects; its `disconnected` event
// joined the delivery still running that onEvent; fixed by review 91's change (a commit that finds its
// object's delivery running leaves its events to it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { reviewFixture } from "./harness.mjs";

const { fresh, sleep, connect, disconnect, status, fixtureLog, waitFor } = reviewFixture("review90", {
  REVOKE_DELAY_MS: "0", REFRESH_DELAY_MS: "0", TIMEOUT_MS: "15000",
});
const within = (promise, ms) => Promise.race([promise, sleep(ms).then(() => "no answer")]);

/** G0 connected; C0's exchange held when the disconnect D is sent; C2 begun after. */
async function orphanRace(bindings) {
  await fresh({ EXCHANGE_HOLD_NTH: "2", EXCHANGE_HOLD_MS: "2000", ...bindings });
  const owner = `r90a-${crypto.randomUUID()}`;
  assert.equal(await connect(owner), 303);
  const c0 = connect(owner);
  await waitFor("exchange_held");
  const d = await within(disconnect(owner), 12_000);
  const c2 = d === "no answer" ? "not tried" : await within(connect(owner), 12_000);
  const log = await fixtureLog();
  console.log(JSON.stringify({ d: d.status ?? d, c0: await within(c0, 100), c2, steps: log.filter((e) => !e.what.startsWith("token_")).map((e) => e.what) }));
  assert.notEqual(d, "no answer", "the disconnect answers");
  assert.equal(d.status, 200);
  assert.equal(c2, 303, "the reconnect after it lands");
  assert.equal((await status(owner)).state, "active");
}

test("review90 A1: onEvent disconnects again when told grant_orphaned: the disconnect that refused the consent must answer", async () => {
  await orphanRace({ ONEVENT_REENTER: "grant_orphaned" });
});

test("review90 A1 control: the same race, onEvent not re-entering", async () => {
  await orphanRace({});
});

test("review90 A2 (older; fixed by review 91's change): onEvent disconnects when told connected: the callback and the disconnect answer", async () => {
  await fresh({ ONEVENT_REENTER: "connected" });
  const owner = `r90b-${crypto.randomUUID()}`;
  const c = await within(connect(owner), 12_000);
  await sleep(300);
  const log = await fixtureLog();
  console.log(JSON.stringify({ c, steps: log.filter((e) => !e.what.startsWith("token_")).map((e) => e.what) }));
  assert.equal(c, 303, "the callback answers");
  assert.ok(log.some((e) => e.what === "reenter_answered"), "the disconnect onEvent sent answered");
  assert.equal((await status(owner)).state, "disconnected", "and ended the connection");
});
