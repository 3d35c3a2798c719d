// Review 87: a disconnect that waits on a refresh in flight (the alarm's) ends its flows as it is sent (f8963d9), then
// again after the wait (revokeThenEnd): a reconnect begun after the first and landed during the wait is revoked and ended.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sandboxBindings, reviewFixture } from "./harness.mjs";

const PROVIDERS = ["factorial", "billit"];
const { fresh, mf, sandbox, ORIGIN, sleep, admin, connect, status, disconnect } = reviewFixture("review87", {
  REVOKE_DELAY_MS: "0", REFRESH_DELAY_MS: "7000", TIMEOUT_MS: "15000",
});

test("review87 A: a reconnect begun after a disconnect's flows ended, while it waits on the alarm's refresh, lands after it and is kept", async () => {
  await fresh();
  await admin("switch", { clientId: "factorial-client", expiresIn: 2 }); // first grant: due for the alarm's refresh at 2 s
  const owner = `r87-${crypto.randomUUID()}`;
  assert.equal(await connect(owner), 303);
  await admin("switch", { clientId: "factorial-client", expiresIn: 600 });
  const t0 = Date.now();
  // Wait until the alarm's refresh is in flight (held 7 s at the token endpoint).
  let log;
  for (let i = 0; i < 100; i++) {
    ({ log } = await (await mf().dispatchFetch(`${ORIGIN}/_test/log`)).json());
    if (log.some((e) => e.what === "refresh_sent")) break;
    await sleep(100);
  }
  const refreshAt = Date.now() - t0;
  assert.ok(log.some((e) => e.what === "refresh_sent"), "precondition: the alarm's refresh is in flight");
  const t1 = Date.now();
  const disconnecting = disconnect(owner, t1);
  await sleep(500);
  const reconnected = await connect(owner); // begun after the disconnect was sent (its flows ended): lands once it answered (review 88)
  const landedAt = Date.now() - t1;
  const mid = await status(owner);
  const answer = await disconnecting;
  await sleep(500);
  const st = await status(owner);
  ({ log } = await (await mf().dispatchFetch(`${ORIGIN}/_test/log`)).json());
  const codeGrants = log.filter((e) => e.what === "token_authorization_code").map((e) => e.access?.slice(0, 12));
  console.log(JSON.stringify({ refreshAt, reconnected, landedAt, stateAfterReconnect: mid.state }));
  console.log("disconnect:", JSON.stringify({ at: answer.at, status: answer.status, revoked: answer.body.revoked, state: answer.body.status?.state }));
  console.log("final:", JSON.stringify({ state: st.state, cause: st.cause }));
  console.log("grants (access, by authorization_code):", JSON.stringify(codeGrants));
  console.log("log:", JSON.stringify(log.map((e) => ({ at: e.at - t1, what: e.what, token: (e.token ?? e.access ?? "").slice(0, 12), refresh: (e.refresh ?? "").slice(0, 12) }))));
  // The first grant's rotated refresh token (the alarm's refresh answer, discarded): still good at the provider?
  const b = sandboxBindings(sandbox(), PROVIDERS);
  const creds = JSON.parse(b.CLIENTS).factorial, ep = JSON.parse(b.ENDPOINTS).factorial;
  const g1 = log.find((e) => e.what === "token_refresh_token")?.refresh;
  const r = await fetch(ep.token ?? ep.tokenUrl, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: g1, client_id: creds.clientId, client_secret: creds.clientSecret }) });
  console.log("first grant's rotated refresh token after the disconnect:", r.status, (await r.text()).slice(0, 80));
  await admin("switch", { clientId: "factorial-client", reset: true });
  assert.equal(reconnected, 303, "precondition: the reconnect landed");
  assert.equal(mid.state, "active", "precondition: the reconnect landed while the disconnect waited");
  assert.equal(st.state, "active", "the reconnect begun after the disconnect's flows ended was revoked and ended");
  assert.notEqual(r.status, 200, "the grant the disconnect was sent to end (its refresh answer, discarded) is live at the provider");
});
