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

/** `exhausted` and `disconnected` are ended: no refresh, failure or restart leaves them, only a new consent. */
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
  /** Seconds between two re-wraps of a connection's tokens under TOKEN_KEYS' first key; default 86400. */
  rewrapEvery?: number;
  /** Seconds before a grant must end that `reconnect_due` is told ({@link reconnectForecast}); default 604800 (7 days). */
  reconnectNotice?: number;
  /** Seconds refreshes must have failed in a row before they forecast an end (`refresh_failing`): one blip and its retries never tell; default 3600. */
  reconnectGrace?: number;
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
  /** When the latest streak of failures began (ms); read only while `failures` > 0. */
  failingSince?: number | null;
  /** Why it ended: invalid_grant, refresh_outcome_unknown, too_many_failures, token_revoked, token_expired, or a disconnect's cause. */
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
  /** When the last refresh began if a call's refused token asked for it, else null: {@link afterCallError}'s `refused_fresh`. */
  refusedRefreshAt?: number | null;
  /** The TOKEN_KEYS key id sealing the tokens. */
  keyId?: string | null;
  /** The next re-wrap (ms since the epoch). */
  rewrapAt?: number | null;
  /** An absolute end of the grant (the entry's `grantLifetime` from the consent): refreshing never renews it. */
  grantEndsAt?: number | null;
  /** When `reconnect_due` was told for this grant (once per grant). */
  reconnectToldAt?: number | null;
  [field: string]: unknown;
}

/** What happened to a connection; {@link nextState} folds it in. `restarted`: the object came back and found a refresh in flight; `token_refused`: the provider confirmed a token that has no refresh token is gone. */
export type LifecycleEvent =
  | { type: "refresh_started"; retry?: boolean; refused?: boolean; now?: number }
  | { type: "refresh_succeeded"; now: number }
  | { type: "refresh_failed"; code: string; retryAfter?: number | null; now: number; random?: number; /** false: failed before anything was sent (keys that cannot open the tokens, a provider no longer configured). */ started?: boolean }
  | { type: "restarted"; now: number }
  | { type: "token_refused"; /** default token_revoked (introspection confirmed it) */ code?: string; now: number }
  /** `flowsEnded`: a disconnect's last step, after its `flows_ended`: the flows begun since stay (their consents land after it). */
  | { type: "disconnected"; cause: string; flowsEnded?: boolean };

/**
 * How a failed refresh counts: "dead" for invalid_grant (RFC 6749 §5.2: the
 * user's grant is gone; the core's classification), never retried; anything
 * else "transient", retried with backoff (invalid_client too: the app's own
 * credentials, which the operator can put right).
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
/** The one alarm time (ms, ≥ now) for refresh, backoff, flow marks and the outbox; null for none. */
export declare function nextAlarm(connection: ConnectionRecord | null, pending: { flowExpiries?: number[]; outboxPending?: boolean; now: number }, options?: LifecycleOptions): number | null;
/**
 * Seconds from a Retry-After header (delta-seconds or an HTTP date), or null.
 *
 * @see [RFC 9110 §10.2.3](https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3)
 */
export declare function parseRetryAfter(value: string | null | undefined, now: number): number | null;

/** A decision and why: `reason` is a stable word (`status().refresh` shows the alarm's). */
export interface Decision {
  should: boolean;
  reason: string;
}

/** What the lifecycle reads of a token: no secret. */
export interface TokenFacts {
  expiresAt?: number | null;
  neverExpires?: boolean;
  refreshToken: boolean;
  companyId?: string | null;
  scopes?: string[];
  obtainedAt?: number | null;
}

/** A connection's stored record: the connection (null before the first consent) and its open flows. */
export interface LifecycleRecord {
  conn: ConnectionRecord | null;
  flows: Record<string, { expiresAt: number; used: boolean }>;
}

/** Every event {@link transition} takes. */
export type TransitionEvent =
  | { type: "connected"; provider: string; label: string; owner: string; token: TokenFacts; lifetime?: number | null; grantLifetime?: number | null; keyId: string; now: number; random: number }
  | { type: "flow_begun"; mark: string; expiresAt: number; now: number; maxFlows?: number }
  | { type: "flow_used"; mark: string; now?: number }
  | { type: "flows_expired"; now: number }
  | { type: "refresh_succeeded"; now: number; token?: TokenFacts; lifetime?: number | null; rotated?: boolean; keyId?: string; random?: number }
  | { type: "superseded"; now?: number }
  /** A user's disconnect's first step: its flows end (a consent given before it never lands), the connection stays until its grant is revoked. */
  | { type: "flows_ended"; now: number }
  /** `wrote`: tokens were written since the re-wrap read them; `refreshing`: a refresh is in flight (then nothing is written and it comes back after `outboxRetry`). */
  | { type: "rewrapped"; keyId: string | null; resealed: boolean; wrote?: boolean; refreshing?: boolean; now: number }
  /** An alarm's check: `reconnect_due`, once per grant, when {@link reconnectDue} says so. */
  | { type: "forecast"; now: number }
  | LifecycleEvent;

/** What a transition changed, for the store to write. */
export interface TransitionResult {
  record: LifecycleRecord;
  changed: { conn: boolean; flows: boolean; tokens: "put" | "delete" | null; alarm: boolean };
  /** Event types to store and deliver. */
  events: string[];
  /** Set when the event lacked a field it needs (or a time was not a number): nothing changed. */
  reason?: "invalid_event";
}

/** The one reducer: every change of a connection goes through it; total (an event that does not apply changes nothing). */
export declare function transition(record: LifecycleRecord | null, event: TransitionEvent, options?: LifecycleOptions): TransitionResult;
/** Consented and not disconnected. */
export declare function isLive(conn: ConnectionRecord | null): boolean;
/** May an API call go out (`live`), or not (`not_found`, `exhausted`)? */
export declare function canCall(conn: ConnectionRecord | null): Decision;
/** Must a call refresh first (`outcome_unknown`, `expired`), or not (`fresh`)? */
export declare function mustRefresh(conn: ConnectionRecord | null, expired: boolean): Decision;
/** May a refresh a call needs start now, or wait out a backoff (`wait` seconds)? */
export declare function mayRefreshNow(conn: ConnectionRecord | null, now: number, refreshing: boolean): Decision & { wait: number | null };
/** Should the alarm refresh now, and why (or why not)? */
export declare function shouldRefresh(connection: ConnectionRecord | null, now: number, options?: LifecycleOptions): Decision;
/** Should the alarm re-wrap the tokens now? */
export declare function shouldRewrap(connection: ConnectionRecord | null, now: number): Decision;
/** Does the connection still hold `companyId`'s one token (`holds`), or not (`not_live`, `other_company`)? Null compares as a company. */
export declare function holdsCompany(conn: ConnectionRecord | null, companyId: string | null | undefined): Decision;
/** May a callback spend the flow `mark`? `reason` is the error code when not. */
export declare function flowUsable(record: LifecycleRecord | null, mark: string): Decision;
/** May a refresh be sent at all (`has_refresh_token`), or not (`token_expired`: no refresh token; `exhausted`; `not_found`)? */
export declare function canRefresh(conn: ConnectionRecord | null, hasRefreshToken: boolean): Decision;
/** Should a refresh's answer that is not stored be revoked (`disconnected`, `unstorable_rotated`) or not (`reconsented`, `ended_by_newer_grant`, `stored_grant_kept`)? */
export declare function revokeAnswer(conn: ConnectionRecord | null, answer: { discarded: boolean; rotated?: boolean; /** a user's disconnect is running: a discarded answer is the grant it was sent to end */ disconnecting?: boolean }): Decision;
/** After an API request threw: `refresh_and_retry`, `retry` (should), `confirm_refused`, `refused_fresh` or `fail` (should
 * not). `refusedRefreshAt` (ms, the record's): when the refresh that gave this token began, if a refusal asked for it; for
 * REFUSED_FRESH_HOLD_MS after, an `invalid_token` refusal of that token does not refresh again (the refusal is not the
 * token's age; `token_expired` and `token_revoked` always refresh). */
export declare function afterCallError(error: { code: string; refreshAndRetry?: boolean; method: string; hasRefreshToken: boolean; refusedRefreshAt?: number | null; now?: number }): Decision;
/** How long (ms) a token that a refusal's refresh gave is not refreshed again for a refusal. */
export declare const REFUSED_FRESH_HOLD_MS: number;
/** Is the API answer a rate limit to surface as `rate_limited` (`retry_after`), or an `answer` to pass on? */
export declare function rateLimited(status: number, retryAfter: number | null): Decision;
/** Which mark names a callback's flow: `flowId`, or `legacy` (sha256 of the state) for a flow begun before flowIds were stored. */
export declare function flowMark(record: LifecycleRecord | null, flowId: string | null | undefined, legacy: string): string;
/** When the grant must end unless the user reconnects, and why. */
export interface ReconnectForecast {
  /** When the grant must end (ms since the epoch). */
  endsAt: number;
  /** `reconnectNotice` before `endsAt` (`refresh_failing`: and no sooner than `reconnectGrace` into the streak): when `reconnect_due` is told. */
  dueAt: number;
  /** `grant_lifetime` (an absolute lifetime), `refresh_failing` (refreshes fail; the refresh token's expiry), `refresh_token_not_renewed` (the provider did not rotate it). */
  reason: "grant_lifetime" | "refresh_failing" | "refresh_token_not_renewed";
}
/**
 * When the grant must end unless the user reconnects, or null: at an
 * absolute grant lifetime, or at a refresh token's known expiry once the
 * latest refresh did not renew it. A refresh token rotated at each refresh never ends so.
 */
export declare function reconnectForecast(conn: ConnectionRecord | null, options?: LifecycleOptions): ReconnectForecast | null;
/** Is `reconnect_due` to be told now (once per grant)? Reasons: a forecast's, or `none`, `told`, `not_due` (`at`: when it will be). */
export declare function reconnectDue(conn: ConnectionRecord | null, now: number, options?: LifecycleOptions): Decision & { at: number | null };
/** The connection as `status()` shows it. */
export declare function statusOf(conn: ConnectionRecord, now: number, options?: LifecycleOptions): Record<string, unknown>;
/** The reasons a caller branches on, spelled once. */
export declare const REASON: Readonly<{
  notFound: "not_found"; exhausted: "exhausted"; backoff: "backoff"; tokenExpired: "token_expired"; tokenRevoked: "token_revoked";
  stateMismatch: "state_mismatch"; refreshAndRetry: "refresh_and_retry"; confirmRefused: "confirm_refused";
  refusedFresh: "refused_fresh";
}>;
/** A refresh the alarm ran threw: record its failure (`unrecorded`: `before` is still the record) or not (`recorded`)? */
export declare function recordUnsent(before: ConnectionRecord | null, after: ConnectionRecord | null): Decision;
