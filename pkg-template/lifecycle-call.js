// What an API call through a connection does with its answer, pure: retry,
// refresh and retry, or fail, and when an answer is a rate limit.
// lifecycle.js re-exports it (`partner-oauth/worker/lifecycle` is one
// module). Which error an answer is stays the core's (Rust): these read its
// code and its `refreshAndRetry`.

import { REASON } from "./lifecycle-decisions.js";
import { CAUSE_UNNAMED } from "./error-codes.js";

const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);
/** A token that a refusal's refresh gave, refused in its turn as `invalid_token` (a code that names no cause: the
 * core's ErrorCode::names_no_cause, generated into error-codes.js), says the refusal is not the token's
 * age (a path that refuses every token): it refreshes no more on such a refusal for this long. Else any caller could
 * drive the provider's token endpoint once a refreshFloor; a token that lives a year and is revoked meanwhile is
 * refreshed again soon. A refusal that names its cause (`token_expired`, `token_revoked`: what a refresh cures) is
 * never held: no path answers it to a token that is neither. */
export const REFUSED_FRESH_HOLD_MS = 300_000;

/** A `refresh_started` event's `refusedRefreshAt` for the record: its `now` when a call's refused token asked for it
 * (`refused`) or when it retries such a refresh (a restart's owed retry, or the backoff's retry after it failed: its
 * token answers the same refusal), else null. The hold reads it only while the connection is active. */
export function refusedMark(conn, event) {
  const retry = conn.refusedRefreshAt != null && (conn.inflight?.pending || conn.state === "backoff");
  return event.refused === true || retry ? event.now ?? null : null;
}

/**
 * What an API call does after its request threw: `reason` "refresh_and_retry"
 * (the core says the token was refused and a refresh token can replace it:
 * once), "confirm_refused" (refused, nothing to refresh with: the connection
 * ends only once the provider confirms), "retry" (a network error or timeout
 * of an idempotent method: once), "refused_fresh" (refused as `invalid_token`,
 * and the token came from a refresh that a refusal asked for at the record's
 * `refusedRefreshAt`, less than REFUSED_FRESH_HOLD_MS before `now`), or
 * "fail". `refreshAndRetry`: the core's classification of the error
 * (OAuthError.refreshAndRetry).
 */
export function afterCallError({ code, refreshAndRetry, method, hasRefreshToken, refusedRefreshAt = null, now = Date.now() }) {
  if (refreshAndRetry === true) {
    if (!hasRefreshToken) return { should: false, reason: REASON.confirmRefused };
    const since = now - refusedRefreshAt;
    const held = CAUSE_UNNAMED.includes(code) && Number.isFinite(refusedRefreshAt) && since >= 0 && since < REFUSED_FRESH_HOLD_MS;
    return held ? { should: false, reason: REASON.refusedFresh } : { should: true, reason: REASON.refreshAndRetry };
  }
  if ((code === "network_error" || code === "timeout") && IDEMPOTENT.has(method)) return { should: true, reason: "retry" };
  return { should: false, reason: "fail" };
}

/** Is an API answer a rate limit to surface (`rate_limited` with its Retry-After), not to pass on? */
export function rateLimited(status, retryAfter) {
  if ((status === 429 || status === 503) && retryAfter !== null && retryAfter !== undefined) return { should: true, reason: "retry_after" };
  return { should: false, reason: "answer" };
}
