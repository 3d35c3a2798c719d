// A connection's lifecycle as pure decisions: no I/O, no clock, no randomness of its own (time and a random
// number in [0, 1) are inputs), so property tests can pin them. `transition` is the one reducer: every change of a
// connection's record goes through it, and the Durable Object (worker-connection.js) only stores what it returns
// (worker-store.js) and acts on it. No other file compares a state: it asks the decisions below. (Protocol
// decisions stay in Rust: which error an answer is. What to do next about that error is lifecycle, here.)
import { LIFECYCLE_DEFAULTS, backoffDelay, refreshDueAt, floorAt } from "./lifecycle-timing.js";
import { REASON, isLive, flowUsable, flowEnded, endFlows, useFlow, boundFlows } from "./lifecycle-decisions.js";
import { refusedMark } from "./lifecycle-call.js";
import { GRANT_ENDED } from "./error-codes.js";

export { LIFECYCLE_DEFAULTS, backoffDelay, refreshDueAt, refreshStartAt, parseRetryAfter } from "./lifecycle-timing.js";
export { afterCallError, rateLimited, REFUSED_FRESH_HOLD_MS } from "./lifecycle-call.js";
export { reconnectForecast, reconnectDue } from "./lifecycle-forecast.js";
import { reconnectDue, reconnectTold } from "./lifecycle-forecast.js";
export { REASON, recordUnsent, isLive, canCall, mustRefresh, mayRefreshNow, shouldRefresh } from "./lifecycle-decisions.js";
export { shouldRewrap, holdsCompany, canRefresh, revokeAnswer, flowMark, flowUsable, statusOf } from "./lifecycle-decisions.js";

/** The states a connection can be in. */
export const STATES = Object.freeze(["active", "refreshing", "backoff", "exhausted", "disconnected"]);

/** The user's grant is gone: the core's classification (ErrorCode::ends_grant, generated into error-codes.js), not a
 * list of ours. Not `invalid_client`: that is the app's own credentials (a secret rotated at the provider before the
 * Worker's, or mistyped), which the operator puts right while the grant still stands (review 37, finding C); it is
 * retried with backoff, and `maxFailures` of them end the connection. */
const DEAD = new Set(GRANT_ENDED);

/** How a failed refresh counts: "dead" (the provider refused the grant: nothing will ever make it work again), or
 * "transient" (anything else: retried with backoff; `maxFailures` of them in a row end the connection anyway). */
export function classifyFailure(code) {
  return DEAD.has(code) ? "dead" : "transient";
}

/**
 * The next state of a connection after `event`; pure. `connection` holds
 * { state, failures, failingSince (when those failures in a row began), cause, inflight, … }. Events:
 *   { type: "refresh_started", retry?, refused?, now }  about to be sent (`now` kept as lastRefreshAt); retry: the
 *                                                 one retry owed (default: from inflight); refused: see refusedMark
 *   { type: "refresh_succeeded", now }
 *   { type: "refresh_failed", code, retryAfter, now, random, started }
 *                                                 started: false when it failed before anything was sent
 *                                                 (keys that cannot open the tokens, a provider no longer configured)
 *   { type: "restarted", now }                    the object came back (a load); acts only on "refreshing"
 *   { type: "token_refused", code?, now }         the provider confirmed a token with no refresh token is gone
 *   { type: "disconnected", cause }
 * Returns { connection, emit: [event types] }. exhausted and disconnected are ended: no refresh, failure or
 * restart leaves them, only a new consent (`connected` in `transition`, a fresh record). An exhausted connection
 * still holds its tokens (re-wrapped, deleted at a disconnect); a disconnected one holds none.
 * `inflight.pending` (a stored name): a retry after a restart, not yet begun; never the core's `pending` flow data.
 */
export function nextState(connection, event, options = {}) {
  const o = { ...LIFECYCLE_DEFAULTS, ...options };
  const c = { ...connection };
  const ended = c.state === "exhausted" || c.state === "disconnected";
  switch (event.type) {
    case "refresh_started":
      if (ended) return { connection: c, emit: [] };
      return {
        // A retry owed (after a restart, or one that failed before it was sent) is this one: its last chance.
        connection: { ...c, state: "refreshing", inflight: { retry: Boolean(event.retry ?? (c.inflight?.pending || c.inflight?.retry)) },
          lastRefreshAt: event.now ?? c.lastRefreshAt ?? null, refusedRefreshAt: refusedMark(c, event) },
        emit: [],
      };
    case "refresh_succeeded":
      if (ended) return { connection: c, emit: [] };
      return {
        connection: { ...c, state: "active", failures: 0, inflight: null, nextAttemptAt: null, cause: null, lastError: null },
        emit: ["refreshed"],
      };
    case "refresh_failed": {
      if (ended) return { connection: c, emit: [] };
      const lastError = { code: event.code, at: event.now };
      // Nothing was sent: a retry after an unknown outcome keeps its one chance (at the next attempt).
      const unsent = event.started === false;
      // A retry after an unknown outcome gets one chance only.
      if (c.inflight?.retry && !unsent) {
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
        connection: { ...c, state: "backoff", failures, inflight: unsent && c.inflight ? { retry: true } : null, nextAttemptAt, lastError, failingSince: failures > 1 ? c.failingSince ?? event.now : event.now },
        emit: ["refresh_failed"],
      };
    }
    case "restarted":
      // A refresh was sent (or about to be) when the object stopped: its outcome is unknown. Retry once; a
      // retry that was itself cut off ends it. Only "refreshing" has one in flight: a retry owed in backoff
      // (inflight { retry }, it failed before it was sent) still waits for its attempt.
      // Already restarted, its retry not begun yet: still that one retry.
      if (c.state !== "refreshing" || !c.inflight || c.inflight.pending) return { connection: c, emit: [] };
      if (c.inflight.retry) {
        return {
          connection: exhaust(c, "refresh_outcome_unknown", { code: "refresh_outcome_unknown", at: event.now }),
          emit: ["exhausted"],
        };
      }
      return { connection: { ...c, state: "refreshing", inflight: { retry: true, pending: true } }, emit: [] };
    case "token_refused": {
      // The provider confirmed the token is gone and nothing can refresh it
      // (no refresh token): exhausted, with the provider's word as the cause
      // (token_revoked when introspection confirmed it).
      if (ended) return { connection: c, emit: [] };
      const code = event.code ?? REASON.tokenRevoked;
      return { connection: exhaust(c, code, { code, at: event.now }), emit: ["exhausted"] };
    }
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

/**
 * The one alarm time (ms) that serves refresh, backoff, flow-mark expiry
 * and the event outbox, or null when nothing is scheduled. Never before `now`.
 */
export function nextAlarm(connection, { flowExpiries = [], outboxPending = false, now }, options = {}) {
  const o = { ...LIFECYCLE_DEFAULTS, ...options };
  const times = [...flowExpiries];
  if (outboxPending) times.push(now + o.outboxRetry * 1000);
  // Tokens are held until a disconnect, an exhausted connection's too: each wakes to re-seal them.
  if (connection && connection.state !== "disconnected" && connection.rewrapAt != null) times.push(connection.rewrapAt);
  if (connection && connection.state !== "exhausted" && connection.state !== "disconnected") {
    const floor = floorAt(connection.lastRefreshAt, o);
    if (connection.inflight?.pending) times.push(Math.max(now, floor));
    else if (connection.state === "backoff" && connection.nextAttemptAt != null) times.push(Math.max(connection.nextAttemptAt, floor));
    else if (connection.refreshAt != null) times.push(Math.max(connection.refreshAt, floor));
  }
  times.push(reconnectDue(connection, now, o).at ?? NaN); // reconnect_due, until told
  const finite = times.filter(Number.isFinite);
  return finite.length === 0 ? null : Math.max(now, Math.min(...finite));
}

// ---- The reducer ---------------------------------------------------------------

/** What a transition changed, for the store: `tokens` "put" (the caller seals them), "delete" or null. */
const UNCHANGED = Object.freeze({ conn: false, flows: false, tokens: null, alarm: false });

/**
 * The one reducer of a connection: `record` is `{ conn, flows }` (conn null
 * before the first consent); `event` one of
 *   { type: "connected", provider, label, owner, token, lifetime, keyId, now, random, mark }  a consent's tokens
 *   { type: "flow_begun", mark, expiresAt, now, maxFlows }
 *   { type: "flow_used", mark, now }                    a callback spends its flow
 *   { type: "flows_expired", now }
 *   { type: "refresh_started" | "refresh_failed" | "token_refused", … }  as nextState
 *   { type: "restarted", now }                          the object (re)loaded: as nextState, and a re-wrap time
 *   { type: "refresh_succeeded", now, token?, lifetime?, rotated?, keyId?, random? }
 *   { type: "disconnected", cause: "user", now, flowsEnded }  the user's disconnect (flowsEnded: after its flows_ended; the flows begun since stay)
 *   { type: "flows_ended", now }                        its first step: the flows end, the connection stays
 *   { type: "superseded", now }                         a newer grant for the same company
 *   { type: "rewrapped", keyId, resealed, wrote, refreshing, now }  the tokens checked (and re-sealed) under the first key;
 *                                                       wrote: tokens written since they were read; refreshing: a refresh in flight
 *   { type: "forecast", now }                           an alarm: `reconnect_due`, once per grant, when due
 * `token` is what the lifecycle reads of a token (no secret): { expiresAt,
 * neverExpires, refreshToken: boolean, companyId, scopes, obtainedAt }.
 * Returns `{ record, changed: { conn, flows, tokens, alarm }, events }`; total:
 * an event that does not apply returns the record unchanged, and one missing
 * a field it needs (or with a time that is not a number) also says
 * `reason: "invalid_event"`.
 */
export function transition(record, event, options = {}) {
  const o = { ...LIFECYCLE_DEFAULTS, ...options };
  const conn = record?.conn ?? null;
  const flows = record?.flows ?? {};
  const same = { record: { conn, flows }, changed: UNCHANGED, events: [] };
  // Total: an event missing what it needs changes nothing (never a TypeError, never a NaN stored).
  if (!wellFormed(event)) return { ...same, reason: "invalid_event" };
  const withConn = (next, events, tokens = null, alarm = true) => ({
    record: { conn: next, flows }, changed: { conn: true, flows: false, tokens, alarm }, events,
  });
  switch (event?.type) {
    case "connected": // its flow ended by the user's disconnect, or gone: never lands (reviews 76, 79)
      if (text(event.mark) && flowEnded(flows, event.mark)) return { ...same, reason: "flow_ended" };
      return withConn(recordForTokens(null, event, o, true), ["connected"], "put");
    case "flow_begun": {
      const kept = Object.entries(prune(flows, event.now));
      kept.push([event.mark, { expiresAt: event.expiresAt, used: false }]);
      // Bounded: unused flows go, oldest first (refused at callback); a used one stays (review 77).
      const bounded = boundFlows(kept, event.maxFlows ?? Infinity);
      return { record: { conn, flows: Object.fromEntries(bounded) }, changed: { ...UNCHANGED, flows: true, alarm: true }, events: [] };
    }
    case "flow_used": {
      if (!flowUsable(record, event.mark).should) return same;
      return { record: { conn, flows: { ...flows, [event.mark]: useFlow(flows[event.mark], event.now) } }, changed: { ...UNCHANGED, flows: true }, events: [] };
    }
    case "flows_expired": {
      const pruned = prune(flows, event.now);
      if (Object.keys(pruned).length === Object.keys(flows).length) return same;
      // The alarm that prunes them sets the next one when it ends.
      return { record: { conn, flows: pruned }, changed: { ...UNCHANGED, flows: true }, events: [] };
    }
    case "refresh_succeeded": {
      if (!conn) return same;
      const done = nextState(conn, event, o);
      if (done.emit.length === 0) return same;
      if (!event.token) return withConn(done.connection, done.emit);
      return withConn(recordForTokens(done.connection, event, o, event.rotated !== false), done.emit, "put");
    }
    case "refresh_started":
    case "refresh_failed":
    case "restarted":
    case "token_refused": {
      if (!conn) return same;
      const next = nextState(conn, event, o);
      // A refresh about to be sent moves no alarm (its outcome does): moved while the alarm
      // handler running it waits on the provider, workerd cancelled that handler.
      const alarm = event.type !== "refresh_started";
      // Stored before re-wrapping existed: due at once, so its alarm is set.
      if (event.type === "restarted" && isLive(conn) && conn.rewrapAt == null) next.connection = { ...next.connection, rewrapAt: event.now };
      const moved = next.emit.length > 0 || JSON.stringify(next.connection) !== JSON.stringify(conn);
      return moved ? withConn(next.connection, next.emit, null, alarm) : same;
    }
    case "disconnected":
    case "flows_ended":
    case "superseded": {
      // The user's disconnect also ends the flows in progress: a consent given before it never lands after it.
      const keptFlows = event.type === "superseded" || event.flowsEnded ? flows : endFlows(flows, event.now ?? 0);
      const flowsChanged = keptFlows !== flows && Object.keys(flows).length > 0;
      if (!isLive(conn) || event.type === "flows_ended") return flowsChanged ? { record: { conn, flows: keptFlows }, changed: { ...UNCHANGED, flows: true }, events: [] } : same;
      const cause = event.type === "superseded" ? "superseded" : event.cause ?? "user";
      const { connection, emit } = nextState(conn, { type: "disconnected", cause }, o);
      const ended = { ...connection, hasRefreshToken: false, refreshAt: null, rewrapAt: null, keyId: null, updatedAt: event.now ?? null };
      const result = withConn(ended, emit, "delete");
      return { ...result, record: { conn: ended, flows: keptFlows }, changed: { ...result.changed, flows: flowsChanged } };
    }
    case "forecast":
      return ((told) => (told ? withConn(told, ["reconnect_due"]) : same))(reconnectTold(conn, event.now, o));
    case "rewrapped": {
      if (!isLive(conn)) return same;
      // Raced: tokens were written meanwhile, or a refresh in flight will write
      // them; what was read is stale and stays unwritten. That refresh may
      // fail, so the check comes back soon, not a full rewrapEvery later.
      if (event.wrote || event.refreshing) return withConn({ ...conn, rewrapAt: event.now + o.outboxRetry * 1000 }, []);
      const next = { ...conn, keyId: event.keyId ?? conn.keyId ?? null, rewrapAt: event.now + o.rewrapEvery * 1000 };
      return withConn(next, [], event.resealed ? "put" : null);
    }
    default:
      return same;
  }
}

/** The connection record for tokens just stored (a consent, or a refresh's answer after `previous`). */
function recordForTokens(previous, { provider, label, owner, token, lifetime, grantLifetime, keyId, now, random }, o, rotated) {
  const hasRefreshToken = Boolean(token.refreshToken);
  const issuedAt = hasRefreshToken ? (rotated || !previous ? now : previous.refreshTokenIssuedAt ?? now) : null;
  const refreshTokenExpiresAt = issuedAt != null && lifetime ? issuedAt + lifetime * 1000 : null;
  const base = previous ?? {
    provider, label, owner, connectedAt: now, failures: 0, cause: null, lastError: null, inflight: null, nextAttemptAt: null,
    grantEndsAt: grantLifetime ? now + grantLifetime * 1000 : null, // no refresh renews it
  };
  const conn = {
    ...base, state: "active", updatedAt: now,
    expiresAt: token.expiresAt ?? null, neverExpires: Boolean(token.neverExpires), hasRefreshToken,
    refreshTokenIssuedAt: issuedAt, refreshTokenExpiresAt, companyId: token.companyId ?? null, scopes: token.scopes ?? [],
    keyId: keyId ?? null, rewrapAt: now + o.rewrapEvery * 1000,
  };
  // The lifetime as the provider gave it (expiresAt counts from the answer, a moment before now).
  const accessLifetime = token.expiresAt != null && token.obtainedAt ? token.expiresAt - token.obtainedAt : null;
  conn.refreshAt = refreshDueAt({ ...conn, issuedAt: now, lifetime: accessLifetime }, random, o);
  return conn;
}

const time = (t) => Number.isFinite(t);
const text = (s) => typeof s === "string";
const optional = (check) => (v) => v === undefined || v === null || check(v);
/** What each event needs, checked before the reducer reads it; an unknown type is well formed (it changes nothing).
 * `random` is never needed: one that is not a number in [0, 1) counts as 0.5 (lifecycle-timing.js). */
const NEEDS = {
  connected: (e) => text(e.provider) && text(e.label) && text(e.owner) && isObject(e.token) && time(e.now),
  flow_begun: (e) => text(e.mark) && time(e.expiresAt) && time(e.now),
  flow_used: (e) => text(e.mark),
  flows_expired: (e) => time(e.now),
  refresh_started: (e) => optional(time)(e.now),
  refresh_succeeded: (e) => time(e.now) && (e.token == null || isObject(e.token)),
  refresh_failed: (e) => text(e.code) && time(e.now) && optional(time)(e.retryAfter),
  restarted: (e) => time(e.now),
  token_refused: (e) => time(e.now) && optional(text)(e.code),
  disconnected: (e) => optional(time)(e.now) && optional(text)(e.cause),
  flows_ended: (e) => time(e.now),
  superseded: (e) => optional(time)(e.now),
  rewrapped: (e) => time(e.now),
  forecast: (e) => time(e.now),
};

function isObject(v) {
  return typeof v === "object" && v !== null;
}

function wellFormed(event) {
  return isObject(event) && (NEEDS[event.type]?.(event) ?? true);
}

function prune(flows, now) {
  return Object.fromEntries(Object.entries(flows).filter(([, flow]) => flow.expiresAt > now));
}
