// A connection's lifecycle as pure decisions: no I/O, no clock, no
// randomness of its own (time and a random number in [0, 1) are inputs), so
// property tests can pin them. The Durable Object in worker.js only stores
// what these return and acts on it. (Protocol decisions stay in Rust: which
// error an answer is. What to do next about that error is lifecycle, here.)

/** Every default, documented in the README's Worker section. */
export const LIFECYCLE_DEFAULTS = Object.freeze({
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
});

/** The states a connection can be in. */
export const STATES = Object.freeze(["active", "refreshing", "backoff", "exhausted", "disconnected"]);

const DEAD = new Set(["invalid_grant", "invalid_client"]);

/**
 * How a failed refresh counts: "dead" (the provider refused the grant or
 * the client: nothing will ever make it work again), or "transient".
 * Anything not known to be dead is transient: it is retried with backoff,
 * and `maxFailures` of them in a row end the connection anyway.
 */
export function classifyFailure(code) {
  if (DEAD.has(code)) return "dead";
  return "transient";
}

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
 * (Payout: 90 days), whichever comes first. Each never before half its
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
function floorAt(lastRefreshAt, o) {
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

/**
 * The next state of a connection after `event`; pure. `connection` holds
 * { state, failures, cause, inflight, … }. Events:
 *   { type: "refresh_started", retry, now }       a refresh is about to be sent (`now` kept as lastRefreshAt)
 *   { type: "refresh_succeeded", now }
 *   { type: "refresh_failed", code, retryAfter, now, random }
 *   { type: "restarted", now }                    the object came back and found `inflight`
 *   { type: "token_refused", code, now }          the provider confirmed a token with no refresh token is gone
 *   { type: "disconnected", cause }
 * Returns { connection, emit: [event types] }. exhausted and disconnected
 * are final: only a new connect (a fresh connection record) leaves them.
 */
export function nextState(connection, event, options = {}) {
  const o = { ...LIFECYCLE_DEFAULTS, ...options };
  const c = { ...connection };
  const final = c.state === "exhausted" || c.state === "disconnected";
  switch (event.type) {
    case "refresh_started":
      if (final) return { connection: c, emit: [] };
      return {
        connection: { ...c, state: "refreshing", inflight: { retry: Boolean(event.retry) }, lastRefreshAt: event.now ?? c.lastRefreshAt ?? null },
        emit: [],
      };
    case "refresh_succeeded":
      if (final) return { connection: c, emit: [] };
      return {
        connection: { ...c, state: "active", failures: 0, inflight: null, nextAttemptAt: null, cause: null, lastError: null },
        emit: ["refreshed"],
      };
    case "refresh_failed": {
      if (final) return { connection: c, emit: [] };
      const lastError = { code: event.code, at: event.now };
      // A retry after an unknown outcome gets one chance only.
      if (c.inflight?.retry) {
        return { connection: exhaust(c, "refresh_outcome_unknown", lastError), emit: ["refresh_failed", "exhausted"] };
      }
      if (classifyFailure(event.code) === "dead") {
        return { connection: exhaust(c, event.code, lastError), emit: ["refresh_failed", "exhausted"] };
      }
      const failures = (c.failures ?? 0) + 1;
      if (failures >= o.maxFailures) {
        return { connection: exhaust({ ...c, failures }, "too_many_failures", lastError), emit: ["refresh_failed", "exhausted"] };
      }
      const nextAttemptAt = Math.max(event.now + backoffDelay(failures, event.random, o, event.retryAfter), floorAt(c.lastRefreshAt, o));
      return {
        connection: { ...c, state: "backoff", failures, inflight: null, nextAttemptAt, lastError },
        emit: ["refresh_failed"],
      };
    }
    case "restarted":
      // A refresh was sent (or about to be) when the object stopped: its
      // outcome is unknown. Retry once; a retry that was itself cut off ends it.
      if (final || !c.inflight) return { connection: c, emit: [] };
      if (c.inflight.retry) {
        return {
          connection: exhaust(c, "refresh_outcome_unknown", { code: "refresh_outcome_unknown", at: event.now }),
          emit: ["exhausted"],
        };
      }
      return { connection: { ...c, state: "refreshing", inflight: { retry: true, pending: true } }, emit: [] };
    case "token_refused":
      // The provider confirmed the token is gone and nothing can refresh it
      // (no refresh token): exhausted, with the provider's word as the cause.
      if (final) return { connection: c, emit: [] };
      return { connection: exhaust(c, event.code, { code: event.code, at: event.now }), emit: ["exhausted"] };
    case "disconnected":
      if (c.state === "disconnected") return { connection: c, emit: [] };
      return { connection: { ...c, state: "disconnected", cause: event.cause, inflight: null, nextAttemptAt: null }, emit: ["disconnected"] };
    default:
      return { connection: c, emit: [] };
  }
}

function exhaust(c, cause, lastError) {
  return { ...c, state: "exhausted", cause, inflight: null, nextAttemptAt: null, lastError };
}

/** Should a refresh run now (an alarm's question)? Never inside the floor. */
export function refreshNeeded(connection, now, options = {}) {
  if (connection.state === "exhausted" || connection.state === "disconnected") return false;
  if (now < floorAt(connection.lastRefreshAt, { ...LIFECYCLE_DEFAULTS, ...options })) return false;
  if (connection.inflight?.pending) return true;
  if (connection.state === "backoff") return connection.nextAttemptAt != null && connection.nextAttemptAt <= now;
  return connection.refreshAt != null && connection.refreshAt <= now;
}

/**
 * The one alarm time (ms) that serves refresh, backoff, flow-mark expiry
 * and the event outbox, or null when nothing is scheduled. Never before `now`.
 */
export function nextAlarm(connection, { flowExpiries = [], outboxPending = false, now }, options = {}) {
  const o = { ...LIFECYCLE_DEFAULTS, ...options };
  const times = [...flowExpiries];
  if (outboxPending) times.push(now + o.outboxRetry * 1000);
  if (connection && connection.state !== "exhausted" && connection.state !== "disconnected") {
    const floor = floorAt(connection.lastRefreshAt, o);
    if (connection.inflight?.pending) times.push(Math.max(now, floor));
    else if (connection.state === "backoff" && connection.nextAttemptAt != null) times.push(Math.max(connection.nextAttemptAt, floor));
    else if (connection.refreshAt != null) times.push(Math.max(connection.refreshAt, floor));
  }
  const finite = times.filter(Number.isFinite);
  return finite.length === 0 ? null : Math.max(now, Math.min(...finite));
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
