// Issue 30, item 2: the reconnect forecast as properties of the pure
// reducer (fast-check). The workerd tests (metrics.test.mjs) show the object
// acting on it; these show it holds for every sequence of refreshes.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { transition, reconnectForecast, reconnectDue, nextAlarm, LIFECYCLE_DEFAULTS } from "partner-oauth/worker/lifecycle";

const T0 = 1_800_000_000_000;
const DAY = 86_400;
const options = { reconnectNotice: 7 * DAY };
const token = (now) => ({ expiresAt: now + 3_600_000, neverExpires: false, refreshToken: true, companyId: null, scopes: [], obtainedAt: now });
const connected = (lifetime, grantLifetime = null) => transition(null, {
  type: "connected", provider: "p", label: "", owner: "o", token: token(T0), lifetime, grantLifetime, keyId: "k1", now: T0, random: 0.5,
}, options).record;

/** Folds `steps` (gaps in s, and whether each refresh succeeds and rotates) into the record; every told event. */
function run(record, steps) {
  let now = T0;
  const told = [];
  for (const { gap, outcome } of steps) {
    now += gap * 1000;
    const apply = (event) => {
      const result = transition(record, event, options);
      record = result.record;
      told.push(...result.events);
    };
    apply({ type: "refresh_started", now });
    if (outcome === "fail") apply({ type: "refresh_failed", code: "network_error", retryAfter: null, now, random: 0.5 });
    else apply({ type: "refresh_succeeded", now, token: token(now), lifetime: 7 * DAY, rotated: outcome === "rotated", keyId: "k1", random: 0.5 });
    apply({ type: "forecast", now });
  }
  return { record, told, now };
}

const gaps = fc.integer({ min: 1, max: 2 * DAY });

test("forecast: a refresh token renewed at each successful refresh (Factorial's 7 days) never tells reconnect_due", () => {
  fc.assert(fc.property(fc.array(fc.record({ gap: gaps, outcome: fc.constant("rotated") }), { maxLength: 40 }), (steps) => {
    const { record, told } = run(connected(7 * DAY), steps);
    assert.equal(reconnectForecast(record.conn, options), null);
    assert.equal(told.includes("reconnect_due"), false);
  }));
});

test("forecast: failing or unrotated refreshes near the refresh token's end tell reconnect_due once per grant", () => {
  const outcome = fc.constantFrom("rotated", "kept", "fail");
  fc.assert(fc.property(fc.array(fc.record({ gap: gaps, outcome }), { minLength: 1, maxLength: 40 }), (steps) => {
    const { told } = run(connected(7 * DAY), steps);
    // At most once, whatever the sequence.
    assert.ok(told.filter((type) => type === "reconnect_due").length <= 1);
  }));
  // A failing refresh whose refresh token ends within the notice: not told at the first failure (one blip
  // that its retry heals must not spend the grant's one notice), but once the streak has lasted reconnectGrace
  // (default 1 h), and the alarm wakes for it then.
  const { record, told, now } = run(connected(7 * DAY), [{ gap: 60, outcome: "fail" }]);
  assert.deepEqual(told.filter((type) => type === "reconnect_due"), []);
  const waiting = reconnectDue(record.conn, now, options);
  assert.equal(waiting.reason, "not_due");
  assert.equal(waiting.at, now + LIFECYCLE_DEFAULTS.reconnectGrace * 1000);
  assert.ok(nextAlarm(record.conn, { now }, options) <= waiting.at);
  const later = transition(record, { type: "forecast", now: waiting.at }, options);
  assert.deepEqual(later.events, ["reconnect_due"]);
  assert.equal(reconnectDue(later.record.conn, waiting.at, options).reason, "told");
  // Failing past the grace in a streak of several failures: told once the first failure is reconnectGrace old.
  const streak = run(connected(7 * DAY), [{ gap: 60, outcome: "fail" }, { gap: 1800, outcome: "fail" }, { gap: 1800, outcome: "fail" }]);
  assert.deepEqual(streak.told.filter((type) => type === "reconnect_due"), ["reconnect_due"]);
  // Payout's 90 days: a failing refresh early on is not yet due; the alarm wakes at dueAt.
  const payout = run(connected(90 * DAY), [{ gap: 60, outcome: "fail" }]);
  assert.equal(payout.told.includes("reconnect_due"), false);
  const due = reconnectDue(payout.record.conn, payout.now, options);
  assert.equal(due.reason, "not_due");
  assert.equal(due.at, T0 + 83 * DAY * 1000);
  assert.ok(nextAlarm(payout.record.conn, { now: payout.now }, options) <= due.at);
});

test("forecast: an absolute grant lifetime is not renewed by refreshing, and a new consent is a new grant", () => {
  const { record, told } = run(connected(7 * DAY, 30 * DAY), [{ gap: 24 * DAY, outcome: "rotated" }]);
  assert.deepEqual(told.filter((type) => type === "reconnect_due"), ["reconnect_due"]);
  assert.equal(reconnectForecast(record.conn, options).reason, "grant_lifetime");
  const again = transition(record, {
    type: "connected", provider: "p", label: "", owner: "o", token: token(T0), lifetime: 7 * DAY, grantLifetime: 30 * DAY, keyId: "k1", now: T0 + 25 * DAY * 1000, random: 0.5,
  }, options).record;
  assert.equal(again.conn.reconnectToldAt ?? null, null);
  assert.equal(reconnectDue(again.conn, T0 + 25 * DAY * 1000, options).reason, "not_due");
});

test("forecast: failures in a row shorter than reconnectGrace, healed by a refresh, never tell reconnect_due", () => {
  const grace = LIFECYCLE_DEFAULTS.reconnectGrace;
  // Up to 7 failures (under maxFailures) whose streak stays inside the grace, then a rotating success.
  const streak = fc.array(fc.integer({ min: 1, max: Math.floor(grace / 8) }), { minLength: 1, maxLength: 7 });
  fc.assert(fc.property(gaps, streak, (first, fails) => {
    const steps = [{ gap: first, outcome: "fail" }, ...fails.slice(1).map((gap) => ({ gap, outcome: "fail" }))];
    steps.push({ gap: fails[0], outcome: "rotated" });
    const { record, told } = run(connected(7 * DAY), steps);
    assert.equal(told.includes("reconnect_due"), false);
    assert.equal(reconnectForecast(record.conn, options), null);
  }));
});
