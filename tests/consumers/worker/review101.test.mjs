// Review 101 (outside reviewer on 1b2cde5: the app's log sink called through one promise chain per object, Store's
// #log). Fixture: review 84's (src/review84.mjs; knob LOG_SINK_REENTER added by this review).
import { test } from "node:test";
import assert from "node:assert/strict";
import { reviewFixture } from "./harness.mjs";

const { fresh, begin, sleep, fixtureLog, status } = reviewFixture("review101", { REVOKE_DELAY_MS: "0", TIMEOUT_MS: "15000" });

// B: the log sink (`sink(record, env)`: "reach a Queue or another binding through env") calls back into the
// connection it logs: told `connected` (level info, owner plain), it disconnects that connection, as review 90's
// onEvent does. The disconnect's `disconnected` commit (not deferred) awaits the object's log chain, which waits
// for the sink's call on `connected`, which awaits the disconnect: the consent's callback and the sink's disconnect
// never answer, and every later commit with events of the object waits behind them. Before 1b2cde5 each commit
// awaited only its own records: the disconnect answered, then the callback.
test("review101 B: a log sink that disconnects the connection it is logging does not wedge the object", { timeout: 90_000 }, async () => {
  await fresh({ LOG_SINK_REENTER: "connected" });
  const owner = `r101b-${crypto.randomUUID()}`;
  const send = await begin(owner);
  const t0 = Date.now();
  const callback = await Promise.race([send(), sleep(20_000).then(() => "no answer in 20 s")]);
  const log = (await fixtureLog()).filter((e) => e.at >= t0 && /^sink_reenter/.test(e.what)).map((e) => ({ ...e, at: e.at - t0 }));
  const after = await Promise.race([status(owner), sleep(5_000).then(() => "no answer in 5 s")]);
  console.log(JSON.stringify({ callback, log, after }));
  assert.ok(log.some((e) => e.what === "sink_reenter_sent"), "precondition: the sink called back into the connection");
  assert.deepEqual({ callback, sinkAnswered: log.some((e) => e.what === "sink_reenter_answered") }, { callback: 303, sinkAnswered: true });
});
