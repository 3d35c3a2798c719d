// What an API call through a connection does with its answer, pure: retry,
// refresh and retry, or fail, and when an answer is a rate limit.
// lifecycle.js re-exports it (`partner-oauth/worker/lifecycle` is one
// module). Which error an answer is stays the core's (Rust): these read its
// code and its `refreshAndRetry`.

import { REASON } from "./lifecycle-decisions.js";

const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

/**
 * What an API call does after its request threw: `reason` "refresh_and_retry"
 * (the core says the token was refused and a refresh token can replace it:
 * once), "confirm_refused" (refused, nothing to refresh with: the connection
 * ends only once the provider confirms), "retry" (a network error or timeout
 * of an idempotent method: once), or "fail". `refreshAndRetry`: the core's
 * classification of the error (OAuthError.refreshAndRetry).
 */
export function afterCallError({ code, refreshAndRetry, method, hasRefreshToken }) {
  if (refreshAndRetry === true) return hasRefreshToken ? { should: true, reason: REASON.refreshAndRetry } : { should: false, reason: REASON.confirmRefused };
  if ((code === "network_error" || code === "timeout") && IDEMPOTENT.has(method)) return { should: true, reason: "retry" };
  return { should: false, reason: "fail" };
}

/** Is an API answer a rate limit to surface (`rate_limited` with its Retry-After), not to pass on? */
export function rateLimited(status, retryAfter) {
  if ((status === 429 || status === 503) && retryAfter !== null && retryAfter !== undefined) return { should: true, reason: "retry_after" };
  return { should: false, reason: "answer" };
}
