// Review 84 (outside reviewer on review 83's fix): what the held refresh slot does to a connection a
// reconnect keeps (the generation moved during the disconnect's revocation).
import { test } from "node:test";
import assert from "node:assert/strict";
import { reviewFixture } from "./harness.mjs";

const { fresh, mf, ORIGIN, sleep, call, as, admin, connect, status, disconnect } = reviewFixture("review84", {
  REVOKE_DELAY_MS: "6000", TIMEOUT_MS: "12000",
});

test("review84 A: a reconnect begun during the disconnect; the alarm due on it records no refresh_failed (connection_not_found)", async () => {
  await fresh();
  await admin("switch", { clientId: "factorial-client", expiresIn: 60 });
  const owner = `r84-${crypto.randomUUID()}`;
  assert.equal(await connect(owner), 303);
  await admin("switch", { clientId: "factorial-client", expiresIn: 2 }); // the reconnect's token: 2 s
  const t0 = Date.now();
  const disconnecting = disconnect(owner, t0);
  await sleep(300);
  const reconnected = await connect(owner); // begun after the flows ended: lands once the disconnect answered (review 88)
  console.log("reconnect landed:", reconnected, Date.now() - t0, "ms");
  await sleep(3200 - (Date.now() - t0)); // the reconnect's access token has expired; its alarm is due
  const api = await call(`/plain/factorial/api/v1/employees?label=x`, as(owner));
  const apiBody = await api.text();
  console.log("API call (expired token, live connection) during the disconnect:", api.status, apiBody.slice(0, 160), Date.now() - t0, "ms");
  const answer = await disconnecting;
  console.log("disconnect answered:", answer.at, "ms", JSON.stringify({ status: answer.status, revoked: answer.body.revoked, state: answer.body.status?.state }));
  await sleep(300);
  const st = await status(owner);
  console.log("status right after:", JSON.stringify(st));
  await admin("switch", { clientId: "factorial-client", expiresIn: 60 });
  await sleep(4000);
  const later = await status(owner);
  const api2 = await call(`/plain/factorial/api/v1/employees?label=x`, as(owner));
  console.log("status 4 s later:", JSON.stringify(later), "| API call:", api2.status, (await api2.text()).slice(0, 200));
  const { events } = await (await mf().dispatchFetch(`${ORIGIN}/_test/log`)).json();
  console.log("events:", JSON.stringify(events.map((e) => ({ ...e, at: e.at - t0 }))));
  await admin("switch", { clientId: "factorial-client", reset: true });
  assert.equal(reconnected, 303, "precondition: the reconnect landed");
  assert.equal(later.state, "active", "precondition: and is the connection");
  const wrong = events.filter((e) => e.type === "refresh_failed" && e.code === "connection_not_found");
  assert.equal(wrong.length, 0, "a live connection recorded refresh_failed with connection_not_found (the disconnect's held slot), and went to backoff");
  // The sandbox's own answer to the path may be anything; the Worker must not refuse the call.
  assert.doesNotMatch(apiBody, /connection_not_found/, "an API call on the live (reconnected) connection answered connection_not_found");
});

test("review84 B: a second disconnect sent with the first (a double submit) waits on the held slot, then revokes and ends the reconnect that landed meanwhile", async () => {
  await fresh({ REVOKE_DELAY_MS: "4000" });
  await admin("switch", { clientId: "factorial-client", expiresIn: 60 });
  const owner = `r84b-${crypto.randomUUID()}`;
  assert.equal(await connect(owner), 303);
  const t0 = Date.now();
  const send = () => disconnect(owner, t0);
  const first = send();
  await sleep(50);
  const second = send(); // sent before the reconnect begins
  await sleep(300);
  const reconnected = await connect(owner); // begun after both disconnects were sent; lands during the first's revocation
  const landedAt = Date.now() - t0;
  const st0 = await status(owner);
  console.log("reconnect landed:", reconnected, landedAt, "ms; state then:", st0.state);
  const [a, b] = await Promise.all([first, second]);
  console.log("first disconnect:", JSON.stringify({ at: a.at, status: a.status, revoked: a.body.revoked, state: a.body.status?.state }));
  console.log("second disconnect:", JSON.stringify({ at: b.at, status: b.status, revoked: b.body.revoked, state: b.body.status?.state, error: b.body.error }));
  const st = await status(owner);
  const { log, events } = await (await mf().dispatchFetch(`${ORIGIN}/_test/log`)).json();
  console.log("final status:", JSON.stringify({ state: st.state, cause: st.cause, error: st.error }));
  console.log("revocations:", JSON.stringify(log.filter((e) => e.what === "revoke_sent").map((e) => ({ at: e.at - t0, token: e.token.slice(0, 12) }))));
  console.log("token grants:", JSON.stringify(log.filter((e) => e.what.startsWith("token_")).map((e) => ({ at: e.at - t0, what: e.what, access: e.access?.slice(0, 12), refresh: e.refresh?.slice(0, 12) }))));
  console.log("events:", JSON.stringify(events.map((e) => ({ ...e, at: e.at - t0 }))));
  await admin("switch", { clientId: "factorial-client", reset: true });
  assert.equal(reconnected, 303);
  assert.equal(st0.state, "active", "precondition: the reconnect landed during the first disconnect");
  assert.equal(st.state, "active", "a reconnect begun after both disconnects were sent was revoked and ended by the second");
});
