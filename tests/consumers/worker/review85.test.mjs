// Review 85 (outside reviewer on review 84's fix): a disconnect sent after a reconnect landed shares the first's "kept" answer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { reviewFixture } from "./harness.mjs";

const { fresh, mf, ORIGIN, sleep, call, as, admin, connect, status, disconnect } = reviewFixture("review85", {
  REVOKE_DELAY_MS: "6000", TIMEOUT_MS: "12000",
});


async function scenario(second) {
  await fresh({ REVOKE_DELAY_MS: "5000" });
  await admin("switch", { clientId: "factorial-client", expiresIn: 600 });
  const owner = `r85-${crypto.randomUUID()}`;
  assert.equal(await connect(owner), 303);
  const t0 = Date.now();
  const first = disconnect(owner, t0);
  await sleep(300);
  const reconnected = await connect(owner); // begun after the first's flows ended; lands once it answered (review 88)
  const st0 = await status(owner);
  console.log("reconnect landed:", reconnected, Date.now() - t0, "ms; state then:", st0.state);
  // The user (or the app, deleting the account) now ends the connection as it is: after the reconnect landed.
  const sentAt = Date.now() - t0;
  const b = await second(owner);
  console.log(`second request sent at ${sentAt} ms, answered at ${Date.now() - t0} ms:`, JSON.stringify(b));
  const a = await first;
  console.log("first disconnect:", JSON.stringify({ at: a.at, status: a.status, revoked: a.body.revoked, state: a.body.status?.state }));
  await sleep(300);
  const st = await status(owner);
  const api = await call(`/plain/factorial/api/v1/employees?label=x`, as(owner));
  const { log, events } = await (await mf().dispatchFetch(`${ORIGIN}/_test/log`)).json();
  console.log("final status:", JSON.stringify({ state: st.state, cause: st.cause }), "| API call afterwards:", api.status);
  console.log("revocations:", JSON.stringify(log.filter((e) => e.what === "revoke_sent").map((e) => ({ at: e.at - t0, token: e.token.slice(0, 12) }))));
  console.log("token grants:", JSON.stringify(log.filter((e) => e.what.startsWith("token_")).map((e) => ({ at: e.at - t0, what: e.what, access: e.access?.slice(0, 12), refresh: e.refresh?.slice(0, 12) }))));
  console.log("events:", JSON.stringify(events.map((e) => ({ ...e, at: e.at - t0 }))));
  await admin("switch", { clientId: "factorial-client", reset: true });
  assert.equal(st0.state, "active", "precondition: the reconnect landed before the second request was sent");
  return { b, st };
}

test("review85 A: a disconnect sent after the reconnect landed shares the first's answer; the connection it ends stays", async () => {
  const { b, st } = await scenario((owner) => disconnect(owner));
  assert.equal(st.state, "disconnected", `a disconnect sent after the reconnect landed answered ${b.status} (${b.body.status?.state}) and the connection stayed ${st.state}`);
});

test("review85 B: disconnectAll (an account's deletion, sessions already ended) after the reconnect landed counts it disconnected; it stays", async () => {
  const { b, st } = await scenario((owner) => mf().dispatchFetch(`${ORIGIN}/_test/disconnectAll?owner=${encodeURIComponent(owner)}`).then((r) => r.json()));
  assert.equal(st.state, "disconnected", `disconnectAll answered ${JSON.stringify(b)} and the connection stayed ${st.state}`);
});
