// Review 88 (outside reviewer on review 87's fix): a reconnect begun after a disconnect was sent landed while the
// disconnect waited (on a refresh, or on another disconnect); the disconnect then revoked nothing itself, trusting
// that a discarded refresh answer had been revoked. Three ways the grant it was sent to end stayed live at the
// provider: (A) the refresh it waited on failed (a 503), so there was no answer to revoke; (B) the refresh's answer
// was stored before the reconnect landed (the app's onEvent for `refreshed` still running), so none was discarded;
// (C) a second disconnect, sent while a first revoked, shared the first's answer. Now a consent's exchange waits for
// the disconnects sent before it: no grant is made while one revokes. Review 84's fixture (REFRESH_STATUS,
// ONEVENT_DELAY_MS). Whether a grant is live: its refresh token sent straight to the sandbox (200: live).
import { test } from "node:test";
import assert from "node:assert/strict";
import { reviewFixture } from "./harness.mjs";

const { fresh, sleep, admin, connect, status, disconnect, fixtureLog, waitFor, live, exchanged } = reviewFixture("review88", {
  REVOKE_DELAY_MS: "0", REFRESH_DELAY_MS: "0", TIMEOUT_MS: "15000",
});

/** Connects G1 (due for the alarm's refresh at 2 s), waits for `waitWhat`, sends the disconnect, then a reconnect
 * begun after it; both answered, the reconnect must be the connection and G1 dead at the provider. */
async function race(owner, waitWhat) {
  await admin("switch", { clientId: "factorial-client", expiresIn: 2 });
  assert.equal(await connect(owner), 303);
  await admin("switch", { clientId: "factorial-client", expiresIn: 600 });
  await waitFor(waitWhat);
  const disconnecting = disconnect(owner);
  await sleep(300);
  const reconnecting = connect(owner); // begun after the disconnect was sent
  const [answer, reconnected] = [await disconnecting, await reconnecting];
  const final = await status(owner);
  const log = await fixtureLog();
  await admin("switch", { clientId: "factorial-client", reset: true });
  assert.equal(answer.status, 200);
  assert.equal(reconnected, 303, "the reconnect begun after the disconnect lands");
  assert.equal(final.state, "active", "and is the connection");
  const grants = exchanged(log);
  assert.equal(grants.length, 2, "precondition: G1 and the reconnect's grant");
  assert.equal(await live(grants[1]), true, "the reconnect's grant is live");
  return { answer, log, g1: grants[0] };
}

test("review88 A: the refresh the disconnect waits on fails (503) while a reconnect is begun: the old grant is revoked, the reconnect kept", async () => {
  await fresh({ REFRESH_DELAY_MS: "4000", REFRESH_STATUS: "503" });
  const { log, g1, answer } = await race(`r88a-${crypto.randomUUID()}`, "refresh_sent");
  assert.equal(log.find((e) => e.what === "token_refresh_token")?.status, 503, "precondition: the refresh failed with a 503");
  assert.equal(answer.body.revoked, true);
  assert.equal(await live(g1), false, "the grant the disconnect was sent to end is dead at the provider");
});

test("review88 B: the refresh's answer is stored, its onEvent still running, when a reconnect is begun: the rotated grant is revoked, the reconnect kept", async () => {
  await fresh({ ONEVENT_DELAY_MS: "4000" });
  const { log, answer } = await race(`r88b-${crypto.randomUUID()}`, "onevent_refreshed");
  const rotated = log.find((e) => e.what === "token_refresh_token" && e.status === 200)?.refresh;
  assert.ok(rotated, "precondition: the alarm's refresh rotated G1");
  assert.equal(answer.body.revoked, true);
  assert.equal(await live(rotated), false, "the grant the disconnect was sent to end (rotated and stored by the refresh) is dead at the provider");
});

test("review88 control: the same 503 with no reconnect: the disconnect revokes the grant (the liveness check means something)", async () => {
  await fresh({ REFRESH_DELAY_MS: "3000", REFRESH_STATUS: "503" });
  const owner = `r88c-${crypto.randomUUID()}`;
  await admin("switch", { clientId: "factorial-client", expiresIn: 2 });
  assert.equal(await connect(owner), 303);
  await admin("switch", { clientId: "factorial-client", expiresIn: 600 });
  await waitFor("refresh_sent");
  assert.equal((await disconnect(owner)).status, 200);
  const log = await fixtureLog();
  await admin("switch", { clientId: "factorial-client", reset: true });
  assert.equal(log.find((e) => e.what === "token_refresh_token")?.status, 503, "precondition: the refresh failed with a 503");
  assert.equal(await live(exchanged(log)[0]), false);
});

test("review88 C: a second disconnect sent while a first revokes, with a consent waiting between them and one after: no grant it was sent to end stays live", async () => {
  await fresh({ REVOKE_DELAY_MS: "3000" });
  const owner = `r88d-${crypto.randomUUID()}`;
  assert.equal(await connect(owner), 303); // G1
  const first = disconnect(owner);
  await sleep(300);
  const between = connect(owner); // begun after the first disconnect, waits for it
  await sleep(500);
  const second = disconnect(owner);
  await sleep(300);
  const third = connect(owner); // begun after the second disconnect, waits for both
  const [a1, a2, c2, c3] = [await first, await second, await between, await third];
  const final = await status(owner);
  const log = await fixtureLog();
  await admin("switch", { clientId: "factorial-client", reset: true });
  const grants = exchanged(log);
  console.log(JSON.stringify({ first: a1.body, second: a2.body, consents: [c2, c3], final: final.state, grants: grants.length }));
  assert.equal(c3, 303, "the consent begun after both disconnects lands");
  assert.equal(final.state, "active", "and is the connection");
  assert.equal(await live(grants.at(-1)), true, "its grant is live");
  for (const grant of grants.slice(0, -1)) assert.equal(await live(grant), false, "every other grant exchanged is dead at the provider");
  assert.notEqual(c2, 303, "the consent begun between the disconnects is refused: the second ended its flow before its code was sent");
  assert.equal(grants.length, 2, "so no grant was made for it");
  assert.deepEqual([a1.body.revoked, a2.body.revoked], [true, true], "both disconnects answer G1's revocation");
});
