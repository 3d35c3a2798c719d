// Review 100 (outside reviewer on ae05907: the restarted commit deferred in load()). Fixture: review 98's (src/review98.mjs: seeds raw entries, resets the object; review 84's knobs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { restartDuringRetry, reviewFixture } from "./harness.mjs";

const fixture = reviewFixture("review100", { REVOKE_DELAY_MS: "0", REFRESH_DELAY_MS: "0", TIMEOUT_MS: "15000" }, { fixture: "review98" });
const { fresh, ...kit } = fixture;

// A: ae05907 deferred the restarted commit's delivery (onEvent, Queue) out of the construction, but apply() still
// awaits the app's log sink (`log.sink`, app code: "a log shipper over the network", README: "reach a Queue or
// another binding through env") for each of the commit's records before it returns, inside load(), inside the
// constructor's blockConcurrencyWhile. A restart that exhausts the connection (as review 99 A seeds it) logs
// `exhausted` at warn, the default level: a sink slower than 30 s (LOG_SINK_MS, only for `exhausted` here) holds
// the construction until workerd cancels the block and resets the object; every request meanwhile waits and fails.
test("review100 A: a slow log sink on the restart's `exhausted` record does not wedge the object's construction", { timeout: 150_000 }, async () => {
  await fresh({ LOG_SINK_MS: "31000", LOG_SINK_TYPE: "exhausted" });
  const owner = `r100a-${crypto.randomUUID()}`;
  const { t0, answer, took, body } = await restartDuringRetry(fixture, owner);
  const log = (await kit.fixtureLog()).filter((e) => e.at >= t0 && /^sink/.test(e.what));
  console.log(JSON.stringify({ took, status: answer.status, body: body.slice(0, 160), log: log.map((e) => ({ ...e, at: e.at - t0 })) }));
  assert.ok(log.some((e) => e.what === "sink_exhausted"), "precondition: the restart logged `exhausted`");
  assert.ok(took < 10_000, `the status request is answered without waiting on the log sink inside the construction (took ${took} ms)`);
  assert.equal(answer.status, 200, `the status request is answered (${body.slice(0, 160)})`);
});
