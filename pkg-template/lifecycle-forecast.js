// When a grant must end unless the user reconnects, and when to say so
// (`reconnect_due`), pure. lifecycle.js re-exports it (`partner-oauth/worker/lifecycle`
// is one module) and its reducer tells the event, once per grant. No state
// is compared here: it asks canCall, and reads the failures in a row and the
// refresh token's dates.
import { LIFECYCLE_DEFAULTS } from "./lifecycle-timing.js";
import { canCall } from "./lifecycle-decisions.js";

/**
 * When the grant must end unless the user reconnects, or null: `{ endsAt,
 * dueAt, reason }`, `dueAt` being `reconnectNotice` s before (for failing
 * refreshes, and no sooner than `reconnectGrace` s after the first failure in a row). It must end at
 * an absolute grant lifetime (`grantEndsAt`: no refresh renews it), or at a
 * refresh token's known expiry once the latest refresh did not renew it:
 * refreshes failing, or a provider that did not rotate it. A refresh token
 * renewed at each refresh (a 7-day token rotated at each use, say) never ends so.
 */
export function reconnectForecast(conn, options = {}) {
  // Ended, or exhausted (already told as such): nothing to forecast.
  if (!canCall(conn).should) return null;
  const o = { ...LIFECYCLE_DEFAULTS, ...options };
  const ends = [];
  if (conn.grantEndsAt != null) ends.push({ endsAt: conn.grantEndsAt, reason: "grant_lifetime" });
  const failing = (conn.failures ?? 0) > 0;
  // Refreshed since the refresh token was issued, nothing in flight: the provider kept it.
  const kept = !failing && !conn.inflight && conn.lastRefreshAt != null && (conn.refreshTokenIssuedAt ?? 0) < conn.lastRefreshAt;
  if (conn.hasRefreshToken && conn.refreshTokenExpiresAt != null && (failing || kept)) {
    ends.push({ endsAt: conn.refreshTokenExpiresAt, reason: failing ? "refresh_failing" : "refresh_token_not_renewed" });
  }
  const first = ends.sort((a, b) => a.endsAt - b.endsAt)[0];
  if (!first) return null;
  const dueAt = first.endsAt - o.reconnectNotice * 1000;
  if (first.reason !== "refresh_failing") return { ...first, dueAt };
  // Failing refreshes are due no sooner than `reconnectGrace` s into their streak (a stored record from before
  // failingSince was kept: its latest failure), so one blip that the next retry heals never tells.
  const since = conn.failingSince ?? conn.lastError?.at ?? -Infinity;
  return { ...first, dueAt: Math.max(dueAt, since + o.reconnectGrace * 1000) };
}

/** Is `reconnect_due` to be told now? Once per grant. `at`: when (now, or dueAt while "not_due"), else null. */
export function reconnectDue(conn, now, options = {}) {
  const forecast = reconnectForecast(conn, options);
  if (!forecast) return { should: false, reason: "none", at: null };
  if (conn.reconnectToldAt != null) return { should: false, reason: "told", at: null };
  if (now < forecast.dueAt) return { should: false, reason: "not_due", at: forecast.dueAt };
  return { should: true, reason: forecast.reason, at: now };
}

/** The record once `reconnect_due` is told (the reducer's "forecast" event), or null: not due, or told already. */
export function reconnectTold(conn, now, options = {}) {
  return reconnectDue(conn, now, options).should ? { ...conn, reconnectToldAt: now } : null;
}

/** What `status().reconnect` shows: the forecast and whether it is due, or null. */
export function reconnectShown(conn, now, options = {}) {
  const forecast = reconnectForecast(conn, options);
  return forecast && { ...forecast, due: now >= forecast.dueAt };
}
