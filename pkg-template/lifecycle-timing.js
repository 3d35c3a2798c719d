// The timing of a connection's lifecycle, pure: the defaults, backoff,
// when a refresh is due, the refresh floor, and Retry-After. No state is
// read here (lifecycle.js decides by state and asks these for times);
// lifecycle.js re-exports all of it, so `partner-oauth/worker/lifecycle` is one module.

/** Every default, documented in the README's Worker section. Marked pure: a bundle that takes only parseRetryAfter
 * (io.js) drops it. */
export const LIFECYCLE_DEFAULTS = /* @__PURE__ */ Object.freeze({
  /** Refresh this many seconds before the access token expires… */
  refreshAhead: 300,
  /** …give or take this fraction (±10 %), so connections do not refresh in step. */
  jitter: 0.1,
  /** Backoff after the n-th consecutive transient failure: base × 2ⁿ⁻¹ s, ± jitter… */
  backoffBase: 30,
  /** …never over this many seconds (Retry-After is honoured beyond it, up to a day). */
  backoffCap: 3600,
  /** This many consecutive transient failures make the connection exhausted. */
  maxFailures: 8,
  /** Refresh this long before a refresh token's known lifetime runs out (seconds). */
  refreshTokenMargin: 86400,
  /** A stored event that could not be delivered is retried after this many seconds. */
  outboxRetry: 5,
  /** Two refreshes of one connection, however started (the alarm, a retry, an
   * API answer that refuses the token), are at least this many seconds apart.
   * 5 s: a provider that refuses every token then sees at most 720 refreshes
   * an hour from a connection instead of a loop, and a call that needs a
   * refresh inside the floor waits at most 5 s, within any request timeout. */
  refreshFloor: 5,
  /** Every connection that holds tokens wakes at least this often (seconds)
   * and re-seals them under TOKEN_KEYS' first key: an old key can be dropped
   * once this much time (plus a margin) has passed since the new one came first. */
  rewrapEvery: 86400,
  /** `reconnect_due` is told this many seconds (7 days) before a grant must end (lifecycle.js's reconnectForecast). */
  reconnectNotice: 604800,
  /** Failing refreshes forecast an end only once they have failed in a row this long (seconds): one blip and its
   * backoff retries (30 s, 60 s, …) never spend the grant's one notice, a refresh that succeeds meanwhile tells nothing. */
  reconnectGrace: 3600,
});

/**
 * Milliseconds to wait after the `failures`-th consecutive transient
 * failure (1-based): backoffBase × 2^(failures−1) seconds, scaled by
 * 1 ± jitter with `random` in [0, 1), capped at backoffCap; never less
 * than `retryAfter` seconds when the provider gave one (capped at a day).
 */
export function backoffDelay(failures, random, options = {}, retryAfter = null) {
  const o = { ...LIFECYCLE_DEFAULTS, ...options };
  const n = Math.max(1, Math.floor(failures));
  const exponential = o.backoffBase * 2 ** Math.min(n - 1, 40);
  const jittered = exponential * (1 + o.jitter * (2 * clamp01(random) - 1));
  let seconds = Math.min(jittered, o.backoffCap);
  if (Number.isFinite(retryAfter) && retryAfter > 0) seconds = Math.max(seconds, Math.min(retryAfter, 86400));
  return Math.round(seconds * 1000);
}

/**
 * When to refresh proactively (ms since the epoch), or null when nothing
 * needs it: `refreshAhead` s (± jitter) before the access token expires, and
 * `refreshTokenMargin` s before a refresh token's known lifetime ends
 * (a preset's `refreshTokenLifetime`), whichever comes first. Each never before half its
 * token's lifetime (`lifetime` ms, else until `expiresAt`) has passed since
 * `issuedAt` (`refreshTokenIssuedAt`):
 * a lifetime shorter than the margin would otherwise be due at once, every
 * time. Never before `refreshFloor` s after `lastRefreshAt`. A token that
 * never expires and whose refresh token has no known lifetime gets no
 * refresh alarm; neither does one without a refresh token (it cannot be
 * refreshed).
 */
export function refreshDueAt({ expiresAt, issuedAt, lifetime, hasRefreshToken, refreshTokenExpiresAt, refreshTokenIssuedAt, lastRefreshAt }, random, options = {}) {
  if (!hasRefreshToken) return null;
  const o = { ...LIFECYCLE_DEFAULTS, ...options };
  const halfway = (issued, expires, ms) => (Number.isFinite(issued) ? issued + (Number.isFinite(ms) ? ms : expires - issued) / 2 : -Infinity);
  const due = [];
  if (Number.isFinite(expiresAt)) {
    const ahead = expiresAt - o.refreshAhead * 1000 * (1 + o.jitter * (2 * clamp01(random) - 1));
    due.push(Math.max(ahead, halfway(issuedAt, expiresAt, lifetime)));
  }
  if (Number.isFinite(refreshTokenExpiresAt)) {
    due.push(Math.max(refreshTokenExpiresAt - o.refreshTokenMargin * 1000, halfway(refreshTokenIssuedAt, refreshTokenExpiresAt)));
  }
  if (due.length === 0) return null;
  return Math.round(Math.max(Math.min(...due), floorAt(lastRefreshAt, o)));
}

/** The earliest time (ms) a refresh may start: `refreshFloor` s after the last one began. */
export function floorAt(lastRefreshAt, o) {
  return Number.isFinite(lastRefreshAt) ? lastRefreshAt + o.refreshFloor * 1000 : -Infinity;
}

/**
 * When a refresh that a call needs at `now` may start (ms): now, or the end
 * of the floor since the connection's last refresh (`lastRefreshAt`).
 */
export function refreshStartAt(connection, now, options = {}) {
  const o = { ...LIFECYCLE_DEFAULTS, ...options };
  return Math.max(now, floorAt(connection?.lastRefreshAt, o));
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), or null. */
export function parseRetryAfter(value, now) {
  if (value == null) return null;
  const text = String(value).trim();
  if (/^\d{1,9}$/.test(text)) return Number(text);
  const date = Date.parse(text);
  if (!Number.isFinite(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function clamp01(x) {
  return Number.isFinite(x) ? Math.min(Math.max(x, 0), 0.999999999) : 0.5;
}
