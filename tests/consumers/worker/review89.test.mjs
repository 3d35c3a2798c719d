// Review 89 (outside reviewer on review 88's fix). Finding A: review 88 ordered a consent's exchange after the
// disconnects sent before it, but not after the revocation of an orphan such a disconnect made: a consent C0
// whose code was already being exchanged when the disconnect was sent is refused when it lands (its flow ended)
// and its grant revoked (revokeOrphan) whenever its answer arrives, with nothing waiting for that. At a provider
// that revokes the user's whole authorization (review 88's S1; USER_REVOKE=1 in review 84's fixture) a
// reconnect C2 begun after the disconnect answered stayed live with revoked tokens. Now a disconnect answers
// (and leaves `#disconnects`) only once the exchanges in flight as it was sent have settled. Controls: the same
// race at a per-grant provider (the sandbox), and S1 without C0.
import { test } from "node:test";
import assert from "node:assert/strict";
import { reviewFixture } from "./harness.mjs";

const { fresh, sleep, connect, disconnect, status, fixtureLog, waitFor, live, exchanged } = reviewFixture("review89", {
  REVOKE_DELAY_MS: "0", REFRESH_DELAY_MS: "0", TIMEOUT_MS: "15000",
});

/** G0 connected (unless `withG0` is false); C0's exchange in flight (its answer held) when the disconnect is
 * sent; C2 begun after the disconnect answered. C2 must be the connection and live at the provider. */
async function race(bindings, { withC0 = true, withG0 = true } = {}) {
  await fresh(bindings);
  const owner = `r89a-${crypto.randomUUID()}`;
  if (withG0) assert.equal(await connect(owner), 303); // G0, exchange 1
  let c0 = null;
  if (withC0) {
    c0 = connect(owner); // its exchange's answer held
    await waitFor("exchange_held");
  }
  const d = await disconnect(owner);
  const c2 = await connect(owner); // begun after the disconnect answered
  const c0Status = c0 && (await c0);
  await sleep(500);
  const final = await status(owner);
  const log = await fixtureLog();
  const grants = exchanged(log);
  console.log(JSON.stringify({ d: d.body.revoked, c0: c0Status, c2, final: final.state, grants: grants.length,
    steps: log.filter((e) => e.what !== "token_authorization_code").map((e) => e.what) }));
  assert.equal(d.status, withG0 ? 200 : 404);
  assert.equal(c2, 303, "the reconnect begun after the disconnect lands");
  if (withC0) assert.notEqual(c0Status, 303, "the consent exchanged before the disconnect never lands");
  assert.equal(final.state, "active", "the reconnect is the connection");
  for (const grant of grants.slice(0, -1)) assert.equal(await live(grant), false, "every other grant is dead at the provider");
  assert.equal(await live(grants.at(-1)), true, "the live connection's grant is live at the provider");
}

test("review89 A: S1 provider; a consent exchanged before the disconnect lands after the reconnect: its orphan revocation must not end the reconnect's grant", async () => {
  await race({ USER_REVOKE: "1", EXCHANGE_HOLD_NTH: "2", EXCHANGE_HOLD_MS: "4000" });
});

test("review89 A control 1: the same race at a per-grant provider (the sandbox): the reconnect stays live", async () => {
  await race({ EXCHANGE_HOLD_NTH: "2", EXCHANGE_HOLD_MS: "4000" });
});

test("review89 A control 2: S1 provider, no consent in flight: review 88's order holds, the reconnect stays live", async () => {
  await race({ USER_REVOKE: "1" }, { withC0: false });
});

test("review89 A2: S1 provider, first connect: a disconnect sent while the first consent is exchanged (nothing live yet), then a reconnect: the reconnect stays live", async () => {
  await race({ USER_REVOKE: "1", EXCHANGE_HOLD_NTH: "1", EXCHANGE_HOLD_MS: "4000" }, { withG0: false });
});
