// Review 98 (outside reviewer on review 97's tell() change, f32b87e, and the outbox's index cursor), review 84's
// fixture wrapped by src/review98.mjs: each alarm handler's run (start, end) and each construction are recorded,
// and a test can seed raw entries and an alarm, then reset the object.
import { test } from "node:test";
import assert from "node:assert/strict";
import { reviewFixture, reviewKit } from "./harness.mjs";

const { ORIGIN, fresh, testApi: get, mf, sandbox, sleep, connect } = reviewFixture("review98", { REVOKE_DELAY_MS: "0", REFRESH_DELAY_MS: "0", TIMEOUT_MS: "15000" }, { fixture: "review98", objects: { PLAIN: "PlainConnection", SLOW: "SlowConnection" } });
const told = async () => (await get("/_test/log")).events;

/** Seeds one stored event (untold to onEvent) into `key`'s object of `route` ("" or "slow") and its alarm `inMs` away,
 * then resets the object: as a reset between a commit's write and its delivery leaves it. */
async function seedEvent(key, owner, type, inMs, slow = false) {
  const id = crypto.randomUUID();
  const name = `event:${String(Date.now() + 5).padStart(15, "0")}:${id}`;
  const event = { id, type, connection: "seeded", provider: "factorial", label: "x", owner, at: new Date().toISOString(), state: "active", cause: null, code: null };
  const entries = type ? { [name]: { event, delivered: { hook: false, queue: true, index: true } } } : {};
  return get(slow ? "/_test/slowseed" : "/_test/seed", { key, entries, inMs });
}

/** A connection, then `type` (null: none) seeded as a stored event with its alarm 1.5 s away and the object reset;
 * after `waitMs`, the alarm handlers run and the constructions since. */
async function wakeSeeded(prefix, type, waitMs) {
  await fresh();
  const owner = `${prefix}-${crypto.randomUUID()}`;
  assert.equal(await connect(owner), 303);
  await sleep(500);
  const t0 = Date.now();
  await seedEvent(JSON.stringify([owner, "factorial", "x"]), owner, type, 1500);
  await sleep(waitMs);
  const { alarms, constructed } = await get("/_test/alarms");
  const runs = alarms.filter((a) => a.start >= t0);
  const probe = type && (await told()).find((e) => e.type === type);
  console.log(JSON.stringify({ runs: runs.map((r) => ({ at: r.start - t0, took: r.end ? r.end - r.start : null })), constructed: constructed.filter((c) => c.at >= t0).map((c) => c.at - t0), probe: probe ? probe.at - t0 : null }));
  return { t0, runs, constructed };
}

test("review98 S1 control: with no event stored, the alarm that wakes the object runs at once", async () => {
  const { t0, runs } = await wakeSeeded("r98s1c", null, 4_000);
  assert.ok(runs.length >= 1 && runs[0].start - t0 < 2_300, "the seeded alarm's handler ran when it was due");
});

// S1 (review 96's suspicion, confirmed): load()'s outbox alarm moves the alarm whose handler woke the object. Seeded:
// an event a reset left stored, the alarm 1.5 s away, the object reset. The alarm constructs the object, whose load()
// finds the event and sets the outbox's alarm (outboxRetry: 1 s here) before workerd arms the handler: workerd then
// cancels that handler (the stored alarm is no longer its time), and the object's work waits for the moved alarm.
test("review98 S1: the alarm that wakes an object whose load() finds stored events runs when it is due", async () => {
  const { t0, runs, constructed } = await wakeSeeded("r98s1", "probe", 5_000);
  assert.ok(runs.length >= 1, "precondition: an alarm handler ran");
  assert.ok(constructed.some((c) => c.at >= t0), "precondition: the alarm constructed the object");
  assert.ok(runs[0].start - t0 < 2_300, `the handler of the alarm that woke the object ran (first run at ${runs[0].start - t0} ms, due at 1500)`);
});

// S1's consequence with an app's outboxRetry (30 s here) longer than workerd keeps an idle object: the outbox's
// alarm wakes the evicted object, its load() moves that alarm 30 s on and workerd cancels the handler that woke it;
// idle, the object is evicted before that time, and the next alarm does the same. The stored event is never told.
test("review98 A: an event a reset left stored is told though the app's outboxRetry outlasts an idle object", async () => {
  await fresh();
  const owner = `r98a-${crypto.randomUUID()}`;
  const key = JSON.stringify([owner, "factorial", "x"]);
  const slow = reviewKit(ORIGIN, mf, sandbox, { route: "/slow/factorial" });
  assert.equal(await slow.connect(owner), 303);
  await sleep(500);
  const t0 = Date.now();
  await seedEvent(key, owner, "probe", 1500, true);
  await sleep(75_000);
  const { alarms, constructed, events } = await get("/_test/slow");
  const probe = events.find((e) => e.type === "probe" && e.owner === owner);
  console.log(JSON.stringify({
    runs: alarms.filter((a) => a.start >= t0).map((r) => ({ at: r.start - t0, took: r.end ? r.end - r.start : null })),
    constructed: constructed.filter((c) => c.at >= t0).map((c) => c.at - t0), probe: probe ? probe.at - t0 : null,
    alarmIn: ((await get("/_test/slowalarm", { key })).alarm ?? NaN) - Date.now(),
  }));
  assert.ok(probe, "the stored event reached onEvent within 75 s (two and a half outbox retries)");
});
