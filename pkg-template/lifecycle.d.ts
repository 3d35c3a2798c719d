// Types of partner-oauth/worker/lifecycle: a connection's lifecycle as pure
// decisions (time and randomness are inputs).

export type ConnectionState = "active" | "refreshing" | "backoff" | "exhausted" | "disconnected";

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
}

export declare const LIFECYCLE_DEFAULTS: Readonly<Required<LifecycleOptions>>;
export declare const STATES: readonly ConnectionState[];

export interface ConnectionRecord {
  state: ConnectionState;
  failures?: number;
  cause?: string | null;
  inflight?: { retry: boolean; pending?: boolean } | null;
  nextAttemptAt?: number | null;
  refreshAt?: number | null;
  lastError?: { code: string; at: number } | null;
  [field: string]: unknown;
}

export type LifecycleEvent =
  | { type: "refresh_started"; retry?: boolean }
  | { type: "refresh_succeeded"; now: number }
  | { type: "refresh_failed"; code: string; retryAfter?: number | null; now: number; random?: number }
  | { type: "restarted"; now: number }
  | { type: "disconnected"; cause: string };

/** "dead": invalid_grant or invalid_client, never retried; anything else "transient". */
export declare function classifyFailure(code: string): "dead" | "transient";
/** Milliseconds to wait after the n-th consecutive failure (1-based), random in [0, 1). */
export declare function backoffDelay(failures: number, random: number, options?: LifecycleOptions, retryAfter?: number | null): number;
/** When to refresh proactively (ms), or null when never. */
export declare function refreshDueAt(token: { expiresAt?: number | null; hasRefreshToken: boolean; refreshTokenExpiresAt?: number | null }, random: number, options?: LifecycleOptions): number | null;
/** The next record and the events to emit. */
export declare function nextState(connection: ConnectionRecord, event: LifecycleEvent, options?: LifecycleOptions): { connection: ConnectionRecord; emit: string[] };
/** Should a refresh run now? */
export declare function refreshNeeded(connection: ConnectionRecord, now: number): boolean;
/** The one alarm time (ms, ≥ now) for refresh, backoff, flow marks and the outbox; null for none. */
export declare function nextAlarm(connection: ConnectionRecord | null, pending: { flowExpiries?: number[]; outboxPending?: boolean; now: number }, options?: LifecycleOptions): number | null;
/** Seconds from a Retry-After header (seconds or HTTP date), or null. */
export declare function parseRetryAfter(value: string | null | undefined, now: number): number | null;
