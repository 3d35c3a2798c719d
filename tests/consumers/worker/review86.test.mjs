// Review 86 (outside reviewer on review 85's fix): a disconnect that waits on a running one skips its own flows_ended:
// a reconnect whose flow began BEFORE it was sent (consent given, callback pending) lands after it and is kept.
import { test } from "node:test";
import assert from "node:assert/strict";
import { reviewFixture } from "./harness.mjs";

const { fresh, mf, ORIGIN, sleep, admin, begin, connect, status, disconnect } = reviewFixture("review86", {
  REVOKE_DELAY_MS: "5000", TIMEOUT_MS: "12000",
});

async function scenario({ first, second }) {
  await fresh();
  await admin("switch", { clientId: "factorial-client", expiresIn: 600 });
  const owner = `r86-${crypto.randomUUID()}`;
  assert.equal(await connect(owner), 303);
  const t0 = Date.now();
  const d1 = first ? disconnect(owner, t0) : null;
  if (first) await sleep(300);
  // The user begins a reconnect (after the first's flows ended) and gives consent at the provider.
  const land = await begin(owner);
  const begunAt = Date.now() - t0;
  // Then asks to disconnect (or the app deletes the account): sent after the reconnect's flow began, before it lands.
  const sentAt = Date.now() - t0;
  const d2 = second === "all"
    ? mf().dispatchFetch(`${ORIGIN}/_test/disconnectAll?owner=${encodeURIComponent(owner)}`).then((r) => r.json())
    : disconnect(owner, t0);
  await sleep(400);
  const landed = await land(); // the callback arrives: after the second was sent, while the first revokes
  const landedAt = Date.now() - t0;
  const b = await d2;
  const a = await d1;
  await sleep(300);
  const st = await status(owner);
  const { log } = await (await mf().dispatchFetch(`${ORIGIN}/_test/log`)).json();
  console.log(JSON.stringify({ first: Boolean(first), second, begunAt, sentAt, landed, landedAt }));
  console.log("first:", JSON.stringify(a && { at: a.at, status: a.status, revoked: a.body.revoked, state: a.body.status?.state }));
  console.log("second:", JSON.stringify(b.body ? { at: b.at, status: b.status, revoked: b.body.revoked, state: b.body.status?.state, error: b.body.error } : b));
  console.log("final:", JSON.stringify({ state: st.state, cause: st.cause }));
  console.log("revocations:", JSON.stringify(log.filter((e) => e.what === "revoke_sent").map((e) => ({ at: e.at - t0, token: e.token.slice(0, 12) }))));
  await admin("switch", { clientId: "factorial-client", reset: true });
  return { b, st, landed };
}

test("review86 control: a disconnect alone, sent after a reconnect's flow began, ends that flow: its consent never lands", async () => {
  const { st, landed } = await scenario({ first: false, second: "one" });
  assert.notEqual(landed, 303);
  assert.equal(st.state, "disconnected");
});

test("review86 A: the same disconnect sent while another runs shares it; the reconnect begun before it lands and stays", async () => {
  const { b, st, landed } = await scenario({ first: true, second: "one" });
  assert.equal(st.state, "disconnected", `the callback answered ${landed}; the second disconnect answered ${b.status} ${JSON.stringify({ revoked: b.body.revoked, state: b.body.status?.state })}; the connection stayed ${st.state}`);
});

test("review86 B: disconnectAll sent while a disconnect runs, after a reconnect's flow began: it lands and stays", async () => {
  const { b, st, landed } = await scenario({ first: true, second: "all" });
  assert.equal(st.state, "disconnected", `the callback answered ${landed}; disconnectAll answered ${JSON.stringify(b)}; the connection stayed ${st.state}`);
});
