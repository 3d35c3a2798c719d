// The questions the Durable Object asks of a connection (it never compares a
// state itself), each answered as { should, reason } so status() and the
// caller can say why. Pure, like lifecycle.js, which re-exports them all.
import { LIFECYCLE_DEFAULTS, floorAt } from "./lifecycle-timing.js";
import { reconnectShown } from "./lifecycle-forecast.js";

/** The reasons a caller branches on, spelled once (a decision's other reasons are for status() and logs). */
export const REASON = Object.freeze({
  notFound: "not_found", exhausted: "exhausted", backoff: "backoff", tokenExpired: "token_expired", tokenRevoked: "token_revoked",
  stateMismatch: "state_mismatch", refreshAndRetry: "refresh_and_retry", confirmRefused: "confirm_refused",
  refusedFresh: "refused_fresh",
});

/** Does the connection exist for its user (consented, not disconnected)? */
export function isLive(conn) {
  return Boolean(conn) && conn.state !== "disconnected";
}

/** Can an API call go out? `reason`: "not_found", "exhausted" or "live". */
export function canCall(conn) {
  if (!isLive(conn)) return { should: false, reason: REASON.notFound };
  if (conn.state === "exhausted") return { should: false, reason: REASON.exhausted };
  return { should: true, reason: "live" };
}

/** Must a call refresh before it goes out? `expired`: the core's isExpired of the token. */
export function mustRefresh(conn, expired) {
  if (conn?.inflight?.pending) return { should: true, reason: "outcome_unknown" };
  if (expired) return { should: true, reason: "expired" };
  return { should: false, reason: "fresh" };
}

/** May a refresh a call needs start now, or must it wait out a backoff? `wait`: seconds. */
export function mayRefreshNow(conn, now, refreshing) {
  if (conn?.state === "backoff" && !refreshing && conn.nextAttemptAt > now) {
    return { should: false, reason: REASON.backoff, wait: Math.ceil((conn.nextAttemptAt - now) / 1000) };
  }
  if (conn?.state === "exhausted") return { should: false, reason: REASON.exhausted, wait: null };
  return { should: true, reason: "allowed", wait: null };
}

/** Should the alarm refresh now? Never inside the floor. */
export function shouldRefresh(connection, now, options = {}) {
  if (!connection) return { should: false, reason: "no_connection" };
  if (connection.state === "exhausted" || connection.state === "disconnected") return { should: false, reason: connection.state };
  if (now < floorAt(connection.lastRefreshAt, { ...LIFECYCLE_DEFAULTS, ...options })) return { should: false, reason: "floor" };
  if (connection.inflight?.pending) return { should: true, reason: "outcome_unknown" };
  if (connection.state === "backoff") {
    return connection.nextAttemptAt != null && connection.nextAttemptAt <= now ? { should: true, reason: "backoff_over" } : { should: false, reason: "backoff" };
  }
  if (connection.refreshAt == null) return { should: false, reason: connection.hasRefreshToken ? "never_expires" : "no_refresh_token" };
  return connection.refreshAt <= now ? { should: true, reason: "due" } : { should: false, reason: "not_due" };
}

/** Should the alarm check (and re-seal) the tokens under the first key now? */
export function shouldRewrap(connection, now) {
  if (!isLive(connection)) return { should: false, reason: "no_tokens" };
  if (connection.rewrapAt == null || connection.rewrapAt <= now) return { should: true, reason: "due" };
  return { should: false, reason: "not_due" };
}

/** Does the connection still hold `companyId`'s one token (one token per
 * company)? A stale company index may name one that moved to another
 * company, or ended. `companyId` is compared as given, null included. */
export function holdsCompany(conn, companyId) {
  if (!isLive(conn)) return { should: false, reason: "not_live" };
  if (companyId === undefined || (conn.companyId ?? null) !== companyId) return { should: false, reason: "other_company" };
  return { should: true, reason: "holds" };
}

/** May a refresh be sent at all? A token with no refresh token cannot be
 * refreshed: its connection ends, with `reason` ("token_expired") as the cause. */
export function canRefresh(conn, hasRefreshToken) {
  if (!isLive(conn) || conn.state === "exhausted") return { should: false, reason: isLive(conn) ? REASON.exhausted : REASON.notFound };
  if (!hasRefreshToken) return { should: false, reason: REASON.tokenExpired };
  return { should: true, reason: "has_refresh_token" };
}

/**
 * Should a refresh's answer that is not stored be revoked at the provider?
 * `discarded`: a consent or an end replaced the tokens while it ran; else it
 * could not be stored (`rotated`: the answer rotated the refresh token).
 * After a user's disconnect, yes; after a new consent or a supersede, no (a
 * provider that revokes every token of the user and client would revoke the
 * newer grant too). Unstorable and rotated, yes (the stored refresh token is
 * spent: the answer's was the grant's only live one); not rotated, no (the
 * stored one still works, and revoking may end its grant).
 */
export function revokeAnswer(conn, { discarded, rotated, disconnecting = false }) {
  if (discarded) {
    // A reconnect landed during the user's disconnect: the answer is the grant it was sent to end (review 87).
    if (isLive(conn)) return disconnecting ? { should: true, reason: "disconnected" } : { should: false, reason: "reconsented" };
    return conn?.cause === "user" ? { should: true, reason: "disconnected" } : { should: false, reason: "ended_by_newer_grant" };
  }
  return rotated ? { should: true, reason: "unstorable_rotated" } : { should: false, reason: "stored_grant_kept" };
}

/** Which mark names a callback's flow: the core's `flowId`, or for a flow
 * begun before the Worker stored flowIds, `legacy` (sha256 of its state).
 * Remove the fallback one release after (flows live stateMaxAge only). */
export function flowMark(record, flowId, legacy) {
  return flowId != null && record?.flows?.[flowId] ? flowId : legacy;
}

/** Is the flow `mark` this connection's, and unspent? `reason`: the callback's error code when not. */
export function flowUsable(record, mark) {
  const flow = record?.flows?.[mark];
  if (!flow) return { should: false, reason: REASON.stateMismatch };
  if (flow.used) return { should: false, reason: "replayed_callback" };
  return { should: true, reason: "unused" };
}

/** Did a disconnect end this spent flow, or is it gone? Its consent then never lands (reviews 76, 79). */
export const flowEnded = (flows, mark) => !flows?.[mark] || flows[mark].ended === true;

/** The longest an exchange and the introspection after it can take (timeoutMs ≤ 300 s each), and a minute. */
const EXCHANGE_MAX_MS = 2 * 300_000 + 60_000;

/** A flow its callback spends: kept while its exchange can run, even past its own expiry,
 * so a disconnect meanwhile still finds it to end (review 77). */
export function useFlow(flow, now) {
  const until = Number.isFinite(now) ? now + EXCHANGE_MAX_MS : 0;
  return { ...flow, used: true, expiresAt: Math.max(flow.expiresAt, until) };
}

/** At most `max` flows (entries [mark, flow], the newest last): unused ones are dropped,
 * oldest first, and the newest stays; used ones (their exchange may run) only past twice
 * `max`, so junk callbacks cannot grow the record without end (review 78). */
export function boundFlows(entries, max) {
  const newest = entries.at(-1);
  const oldestFirst = (list) => list.filter((e) => e !== newest).sort(([, a], [, b]) => a.expiresAt - b.expiresAt);
  const unused = oldestFirst(entries.filter((e) => !e[1].used)).slice(0, Math.max(0, entries.length - max));
  const kept = entries.filter((e) => !unused.includes(e));
  const used = oldestFirst(kept).slice(0, Math.max(0, kept.length - 2 * max));
  return kept.filter((e) => !used.includes(e));
}

/** Flows after the user's disconnect: unused ones go; a used one, whose exchange may be
 * running, stays as `ended` while one can (its consent then never lands: review 76). */
export function endFlows(flows, now) {
  const ended = Object.entries(flows).filter(([, flow]) => flow.used).map(([mark, flow]) => {
    // An ended flow keeps its time: a disconnect again does not lengthen it (review 78).
    return [mark, { ...flow, ended: true, expiresAt: flow.ended ? flow.expiresAt : Math.max(flow.expiresAt, now + EXCHANGE_MAX_MS) }];
  });
  return Object.fromEntries(ended);
}

/** A refresh the alarm ran threw: must its failure still be recorded? Only if
 * the refresh recorded nothing (`before` is still the record: it failed before
 * anything was sent, say keys that cannot open the tokens), or the alarm, due
 * still, would run again at once. */
export function recordUnsent(before, after) {
  return before === after ? { should: true, reason: "unrecorded" } : { should: false, reason: "recorded" };
}

/** The connection's state as `status()` shows it: no secret. */
export function statusOf(c, now, options = {}) {
  const at = c.state === "exhausted" || c.state === "disconnected" ? null : c.state === "backoff" ? c.nextAttemptAt : c.refreshAt;
  return {
    provider: c.provider, label: c.label, state: c.state, cause: c.cause ?? null, lastError: c.lastError ?? null,
    failures: c.failures ?? 0, connectedAt: c.connectedAt ?? null, updatedAt: c.updatedAt ?? null,
    expiresAt: c.expiresAt ?? null, neverExpires: Boolean(c.neverExpires),
    // Never in the past while the connection lives (a refresh that is due is due now).
    nextRefreshAt: at == null ? null : Math.max(at, now),
    refresh: shouldRefresh(c, now, options), rewrap: shouldRewrap(c, now), call: canCall(c),
    refreshTokenIssuedAt: c.refreshTokenIssuedAt ?? null, refreshTokenExpiresAt: c.refreshTokenExpiresAt ?? null,
    companyId: c.companyId ?? null, scopes: c.scopes ?? [], keyId: c.keyId ?? null,
    reconnect: reconnectShown(c, now, options),
  };
}
