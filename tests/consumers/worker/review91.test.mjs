// Review 91 (outside reviewer on reviews 88-90). A: an app that keeps one connection per provider: its onEvent,
// told `connected` for one label, awaits the disconnect of the other label (a call on ANOTHER connection, which the
// README does not forbid). Two consents landing together (two tabs) wedge both objects: each disconnect's end joins
// its object's outbox flush, which is still delivering that object's `connected` to an onEvent awaiting the other
// disconnect. Review 84's fixture, ONEVENT_CROSS_MS. Now a commit
// that finds its object's delivery running leaves its events to it, and a disconnect waits for a consent's landing,
// not for its `connected` delivery.
import { test } from "node:test";
import assert from "node:assert/strict";
import { reviewFixture, reviewKit } from "./harness.mjs";

const { fresh, mf, sandbox, ORIGIN, ...kx } = reviewFixture("review91", {
  REVOKE_DELAY_MS: "0", REFRESH_DELAY_MS: "0", TIMEOUT_MS: "15000",
}); // kx: label "x"
const ky = reviewKit(ORIGIN, mf, sandbox, { label: "y" });
const within = (promise, ms) => Promise.race([promise, kx.sleep(ms).then(() => "no answer")]);

test("review91 A: onEvent disconnecting the OTHER label on `connected`; two consents landing together must answer", async () => {
  await fresh({ ONEVENT_CROSS_MS: "500" });
  const owner = `r91a-${crypto.randomUUID()}`;
  const [cx, cy] = [await kx.begin(owner), await ky.begin(owner)];
  const [ax, ay] = await Promise.all([within(cx(), 10_000), within(cy(), 10_000)]);
  const later = await within(kx.status(owner), 3_000);
  const reconnect = await within(kx.connect(owner), 6_000); // a reconnect of x after all that: waits on x's stuck disconnect
  const log = await kx.fixtureLog();
  console.log(JSON.stringify({ ax, ay, reconnect, later: later.state ?? later, steps: log.filter((e) => !e.what.startsWith("token_")).map((e) => e.what) }));
  assert.equal(ax, 303, "x's consent answers");
  assert.equal(ay, 303, "y's consent answers");
  assert.ok(log.some((e) => e.what === "cross_x_answered") && log.some((e) => e.what === "cross_y_answered"), "both cross disconnects answer");
});

test("review91 A control: the same two consents one after the other", async () => {
  await fresh({ ONEVENT_CROSS_MS: "500" });
  const owner = `r91a-${crypto.randomUUID()}`;
  assert.equal(await within(kx.connect(owner), 10_000), 303);
  assert.equal(await within(ky.connect(owner), 10_000), 303);
});
