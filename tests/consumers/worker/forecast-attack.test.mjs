// Review of issue 30 (an outside attacker's view of the reconnect forecast),
// on the pure reducer: what one transient refresh failure does to a refresh
// token renewed at each refresh (Factorial's 7 days, reconnectNotice 7 days).
import { test } from "node:test";
import assert from "node:assert/strict";
import { transition } from "partner-oauth/worker/lifecycle";

const T0 = 1_800_000_000_000;
const DAY = 86_400;
const options = { reconnectNotice: 7 * DAY };
const token = (now) => ({ expiresAt: now + 3_600_000, neverExpires: false, refreshToken: true, companyId: null, scopes: [], obtainedAt: now });

test("one transient refresh failure of a 7-day refresh token renewed at the next refresh tells reconnect_due, spending the grant's one notice", () => {
  let record = transition(null, {
    type: "connected", provider: "p", label: "", owner: "o", token: token(T0), lifetime: 7 * DAY, grantLifetime: null, keyId: "k1", now: T0, random: 0.5,
  }, options).record;
  const told = [];
  const apply = (event) => {
    const result = transition(record, event, options);
    record = result.record;
    told.push(...result.events);
  };
  // The alarm's refresh meets a network blip (one 503, a timeout); the alarm then asks the forecast.
  let now = T0 + 3_600_000;
  apply({ type: "refresh_started", now });
  apply({ type: "refresh_failed", code: "network_error", retryAfter: null, now, random: 0.5 });
  apply({ type: "forecast", now });
  // The retry a minute later succeeds and rotates: the refresh token is renewed for 7 days.
  now += 60_000;
  apply({ type: "refresh_started", now });
  apply({ type: "refresh_succeeded", now, token: token(now), lifetime: 7 * DAY, rotated: true, keyId: "k1", random: 0.5 });
  apply({ type: "forecast", now });
  // Nothing had to end: the user was told to reconnect for a blip, and the grant's one
  // reconnect_due is spent (a real failing streak later tells nothing).
  assert.deepEqual(told.filter((type) => type === "reconnect_due"), [], `told: ${told.join(", ")}`);
});
