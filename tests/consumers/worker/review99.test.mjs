// Review 99 (outside reviewer on 55fa0cd: load()'s schedule(record, { earlierOnly: true }), and the alarm chain
// around it). Fixture: review 98's (src/review98.mjs: seeds raw entries, resets the object; review 84's knobs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { restartDuringRetry, reviewFixture } from "./harness.mjs";

const fixture = reviewFixture("review99", { REVOKE_DELAY_MS: "0", REFRESH_DELAY_MS: "0", TIMEOUT_MS: "15000" }, { fixture: "review98" });
const { fresh, testApi: get, sleep, ...kit } = fixture;
const told = async () => (await get("/_test/log")).events;

// A: a restart that exhausts the connection (a retry refresh cut off by a reset: stored "refreshing" with its one
// retry spent) commits `exhausted` inside load(), inside the constructor's blockConcurrencyWhile, and that commit
// delivers at once: the app's onEvent runs while the object admits no request. An app that disconnects a connection
// it is told is exhausted (ONEVENT_REENTER, the re-entry reviews 90 and 92 made safe) calls into this very object,
// which waits for the block, which waits for onEvent: workerd cancels the block after 30 s and resets the object.
// Every request meanwhile waits and fails (500 at 30 s); the app's disconnect fails; the commit's alarm was never
// set, so with the object built by a request the event's retry waits for the alarm stored before (here a used flow's
// expiry, 11 minutes; else a refresh or a day's re-wrap) or the next request. Passes with the restarted commit
// deferred (apply's defer: its event stored and left for the outbox's alarm, outside the block).
test("review99 A: an onEvent that disconnects on `exhausted` does not deadlock the construction whose restart exhausted it", { timeout: 120_000 }, async () => {
  await fresh({ ONEVENT_REENTER: "exhausted" });
  const owner = `r99b-${crypto.randomUUID()}`;
  const { t0, alarmBefore, answer, took, body } = await restartDuringRetry(fixture, owner);
  await sleep(12_000); // no request meanwhile: is the event told again (its disconnect sent again) on its own?
  const log = (await kit.fixtureLog()).filter((e) => e.at >= t0 && /^reenter/.test(e.what));
  const { alarms, constructed } = await get("/_test/alarms");
  console.log(JSON.stringify({
    alarmIn: alarmBefore - t0, took, status: answer.status, body: body.slice(0, 140), log: log.map((e) => ({ ...e, at: e.at - t0 })),
    runs: alarms.filter((a) => a.start >= t0).map((r) => r.start - t0), constructed: constructed.filter((c) => c.at >= t0).map((c) => c.at - t0),
    exhaustedTold: (await told()).filter((e) => e.type === "exhausted").length,
  }));
  assert.ok(log.some((e) => e.what === "reenter_sent"), "precondition: onEvent was told `exhausted` and disconnected");
  assert.ok(took < 10_000, `the status request is answered without waiting out a blocked construction (took ${took} ms)`);
  assert.equal(answer.status, 200, "the status request is answered");
  const answered = log.find((e) => e.what === "reenter_answered");
  assert.ok(answered && !answered.answer?.error, `the app's disconnect succeeds (${JSON.stringify(answered?.answer)})`);
});
