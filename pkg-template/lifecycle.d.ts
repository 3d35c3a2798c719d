// Types of partner-oauth/worker/lifecycle: a connection's lifecycle as pure
// decisions (time and randomness are inputs).

/**
 * A connection's lifecycle as pure decisions: no I/O, no clock, no
 * randomness of its own (time and a random number in [0, 1) are inputs).
 * `partner-oauth/worker` stores what these return and acts on it; nothing
 * here throws.
 *
 * @module partner-oauth/worker/lifecycle
 */

/** `exhausted` and `disconnected` are final: only a new connect leaves them. */
export type ConnectionState = "active" | "refreshing" | "backoff" | "exhausted" | "disconnected";

/** Timing of refreshes, backoff and event delivery; each has a default ({@link LIFECYCLE_DEFAULTS}). */
export interface LifecycleOptions {
  /** Seconds before expiry to refresh; default 300. */
  refreshAhead?: number;
  /** Fraction of jitter on refresh and backoff times; default 0.1 (±10 %). */
  jitter?: number;
  /** First backoff delay in seconds, doubled per consecutive failure; default 30. */
  backoffBase?: number;
  /** Longest backoff in seconds; default 3600 (a Retry-After is honoured beyond it, up to a day). */
  backoffCap?: number;
  /** Consecutive transient failures that make a connection exhausted; default 8. */
  maxFailures?: number;
  /** Seconds before a refresh token's known lifetime ends to refresh; default 86400. */
  refreshTokenMargin?: number;
  /** Seconds before an undelivered event is retried; default 5. */
  outboxRetry?: number;
  /** Seconds two refreshes of one connection are at least apart, however started (alarm, retry, a refused token); default 5. */
  refreshFloor?: number;
}

/** The defaults of every {@link LifecycleOptions} field. */
export declare const LIFECYCLE_DEFAULTS: Readonly<Required<LifecycleOptions>>;
/** Every {@link ConnectionState}. */
export declare const STATES: readonly ConnectionState[];

/** What the lifecycle reads and writes of a stored connection; other fields pass through. */
export interface ConnectionRecord {
  state: ConnectionState;
  /** Consecutive transient failures. */
  failures?: number;
  /** Why it ended: invalid_grant, invalid_client, refresh_outcome_unknown, too_many_failures, token_revoked, token_expired, or a disconnect's cause. */
  cause?: string | null;
  /** A refresh was sent (or about to be); `retry`: this is the one retry of an unknown outcome. */
  inflight?: { retry: boolean; pending?: boolean } | null;
  /** In backoff: the next attempt (ms since the epoch). */
  nextAttemptAt?: number | null;
  /** The next proactive refresh (ms since the epoch). */
  refreshAt?: number | null;
  /** The last refresh failure. */
  lastError?: { code: string; at: number } | null;
  /** When the last refresh began (ms since the epoch): the floor counts from it. */
  lastRefreshAt?: number | null;
  [field: string]: unknown;
}

/** What happened to a connection; {@link nextState} folds it in. `restarted`: the object came back and found a refresh in flight; `token_refused`: the provider confirmed a token that has no refresh token is gone. */
export type LifecycleEvent =
  | { type: "refresh_started"; retry?: boolean; now?: number }
  | { type: "refresh_succeeded"; now: number }
  | { type: "refresh_failed"; code: string; retryAfter?: number | null; now: number; random?: number }
  | { type: "restarted"; now: number }
  | { type: "token_refused"; code: string; now: number }
  | { type: "disconnected"; cause: string };

/**
 * How a failed refresh counts: "dead" for invalid_grant or invalid_client
 * (RFC 6749 §5.2: nothing will make the grant work again), never retried;
 * anything else "transient", retried with backoff.
 */
export declare function classifyFailure(code: string): "dead" | "transient";
/**
 * Milliseconds to wait after the n-th consecutive failure (1-based):
 * backoffBase × 2ⁿ⁻¹ s ± jitter (`random` in [0, 1)), at most backoffCap, and
 * never less than `retryAfter` seconds (capped at a day).
 */
export declare function backoffDelay(failures: number, random: number, options?: LifecycleOptions, retryAfter?: number | null): number;
/**
 * When to refresh proactively (ms): `refreshAhead` before the access token
 * expires or `refreshTokenMargin` before the refresh token's known lifetime
 * ends, whichever is first; each never before half its token's lifetime
 * (`lifetime` ms, else until `expiresAt`) since it was issued (`issuedAt`,
 * `refreshTokenIssuedAt`), and never within
 * `refreshFloor` of `lastRefreshAt`; null without a refresh token or a known expiry.
 */
export declare function refreshDueAt(token: { expiresAt?: number | null; issuedAt?: number | null; lifetime?: number | null; hasRefreshToken: boolean; refreshTokenExpiresAt?: number | null; refreshTokenIssuedAt?: number | null; lastRefreshAt?: number | null }, random: number, options?: LifecycleOptions): number | null;
/** When a refresh a call needs at `now` may start (ms): now, or `refreshFloor` after the last refresh began. */
export declare function refreshStartAt(connection: ConnectionRecord | null, now: number, options?: LifecycleOptions): number;
/** The next record and the events to emit (`refreshed`, `refresh_failed`, `exhausted`, `disconnected`). */
export declare function nextState(connection: ConnectionRecord, event: LifecycleEvent, options?: LifecycleOptions): { connection: ConnectionRecord; emit: string[] };
/** Should a refresh run now (an alarm's question)? Never within `refreshFloor` of the last. */
export declare function refreshNeeded(connection: ConnectionRecord, now: number, options?: LifecycleOptions): boolean;
/** The one alarm time (ms, ≥ now) for refresh, backoff, flow marks and the outbox; null for none. */
export declare function nextAlarm(connection: ConnectionRecord | null, pending: { flowExpiries?: number[]; outboxPending?: boolean; now: number }, options?: LifecycleOptions): number | null;
/**
 * Seconds from a Retry-After header (delta-seconds or an HTTP date), or null.
 *
 * @see [RFC 9110 §10.2.3](https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3)
 */
export declare function parseRetryAfter(value: string | null | undefined, now: number): number | null;
