// Types of partner-oauth/worker: one Durable Object per connection.

/**
 * Cloudflare Workers: each connection (your user × provider × optional label)
 * lives in its own Durable Object, from consent to reconnect. Tokens are
 * AES-256-GCM at rest; refreshes are serialised and stored before any caller
 * sees the new token (RFC 9700 §4.14.2), run ahead of expiry from the
 * object's alarm, and back off on transient failures. Re-exports
 * `partner-oauth/worker/lifecycle`.
 *
 * @module partner-oauth/worker
 */
import type { ClientOptions, Provider, TokenKind, ErrorCode, OAuthClient, OAuthError } from "./index.js";
import type { ConnectionState, LifecycleOptions } from "./lifecycle.js";

export * from "./lifecycle.js";

/** A provider's client options (redirectUri and stateKey are set for you), plus what to ask for. */
export type ConnectionProvider<P extends Provider = Provider> = Omit<ClientOptions<P>, "provider" | "redirectUri" | "stateKey"> & {
  /** Scopes to ask for on connect. */
  scopes?: string[];
  /** Factorial's token kind. */
  tokenKind?: TokenKind;
  /** The kinds a connect's `?kind=` may ask for; default just `tokenKind` (any other `?kind=` is ignored).
   * With it set, a connect without an allowed `?kind=` gets `tokenKind ?? tokenKinds[0]`, never a kind
   * outside the list; a `tokenKind` it does not list is `invalid_config`. */
  tokenKinds?: TokenKind[];
  /** Extra authorize parameters. */
  params?: Record<string, string>;
  /** Seconds a refresh token lives (Payout: 90 days by default); refreshed a day before. */
  refreshTokenLifetime?: number;
  /** Seconds a grant lasts from the consent, renewed by no refresh (no preset states one): `reconnect_due` is told `lifecycle.reconnectNotice` before it ends. */
  grantLifetime?: number;
  /**
   * The API's limits per client application, per second, shared by every
   * connection of the client id (one rate budget); default the preset's
   * (`OAuthClient.rateLimitReads` / `rateLimitWrites`: PayFit 50 and 20; none
   * for the others, Factorial's POST limits included). Reads are GET, HEAD
   * and OPTIONS. `false`: no budget for this provider.
   */
  rateLimits?: { reads?: number; writes?: number } | false;
};

/** A connection's change, told to `onEvent` and the Queue at least once; never carries a secret. `id` de-duplicates. */
export interface ConnectionEvent {
  id: string;
  type: "connected" | "refreshed" | "refresh_failed" | "exhausted" | "disconnected" | "grant_orphaned" | "reconnect_due";
  /** The Durable Object's id. */
  connection: string;
  provider: Provider;
  label: string;
  owner: string;
  /** ISO 8601. */
  at: string;
  /** The connection's state as the event was stored; null only for a `grant_orphaned` of a label with no connection. */
  state: ConnectionState | null;
  /** Why it ended: invalid_grant, refresh_outcome_unknown, too_many_failures, token_revoked, token_expired, superseded, user. */
  cause: string | null;
  /** The last error's code. */
  code: ErrorCode | string | null;
  /** `reconnect_due` only: why the grant must end (as {@link ConnectionStatus.reconnect}'s `reason`). */
  reason?: "grant_lifetime" | "refresh_failing" | "refresh_token_not_renewed";
  /** `reconnect_due` only: when the grant must end unless the user reconnects, ISO 8601. */
  endsAt?: string;
  /** `grant_orphaned` only: whether the grant that could not be stored (its tokens unsealable, or its consent refused after the user's disconnect) was revoked at the provider. */
  revoked?: boolean;
  /** `grant_orphaned` only: what happened, and when not revoked, that the grant must be removed at the provider. */
  message?: string;
}

/** A connection's state, secret-free. Times in ms since the epoch. */
export interface ConnectionStatus {
  provider: Provider;
  label: string;
  state: ConnectionState;
  cause: string | null;
  lastError: { code: string; at: number } | null;
  failures: number;
  connectedAt: number | null;
  updatedAt: number | null;
  expiresAt: number | null;
  neverExpires: boolean;
  /** The next proactive refresh, or the next attempt while in backoff; never in the past while the connection lives; null once it ended. */
  nextRefreshAt: number | null;
  refreshTokenIssuedAt: number | null;
  refreshTokenExpiresAt: number | null;
  companyId: string | null;
  scopes: string[];
  /** Why the alarm's next refresh is or is not due: `due`, `not_due`, `backoff`, `backoff_over`, `floor`, `outcome_unknown`, `never_expires`, `no_refresh_token`, `exhausted`, `disconnected`. */
  refresh: { should: boolean; reason: string };
  /** Is the tokens' re-wrap under the first key due (`due`), or not (`not_due`, `no_tokens`)? */
  rewrap: { should: boolean; reason: string };
  /** May an API call go out (`live`), or not (`exhausted`, `not_found`)? */
  call: { should: boolean; reason: string };
  /** The TOKEN_KEYS key id sealing the tokens (null after a disconnect, or until an object stored before re-wrapping is re-wrapped). */
  keyId: string | null;
  /** When the grant must end unless the user reconnects (`due`: `reconnect_due` has been or is being told), or null. */
  reconnect: { endsAt: number; dueAt: number; reason: "grant_lifetime" | "refresh_failing" | "refresh_token_not_renewed"; due: boolean } | null;
}

/** The one rate budget per provider application (README, "One rate budget per provider application"). */
export interface BudgetOptions {
  /** Longest wait for the budget, ms; a call that would wait longer fails `rate_limited` with `retryAfter`. Default 1000. */
  maxWaitMs?: number;
  /** Share of the limit calls are paced at, in (0, 1]; default 0.9 (calls arriving bunched stay under the provider's windows). */
  headroom?: number;
}

/** A Workers Analytics Engine dataset binding (only `writeDataPoint` is used). */
export interface AnalyticsEngineDataset {
  /** Writes one data point (the module writes one per lifecycle event, budget draw and daily heartbeat). */
  writeDataPoint(point: { indexes?: string[]; blobs?: string[]; doubles?: number[] }): void;
}

/** Where events go besides `onEvent`: a Queue producer binding, or anything with its `send`. */
export interface EventQueue {
  /** Enqueues one event. */
  send(body: ConnectionEvent): Promise<unknown>;
}

/** Options of {@link createConnections}. */
export interface ConnectionsOptions<Env = any> {
  /** Client options per provider, or a function of the Worker's env (secrets live there). */
  providers: Partial<Record<Provider, ConnectionProvider>> | ((env: Env) => Partial<Record<Provider, ConnectionProvider>>);
  /** The owner (your user or tenant) of this request, or null: 401 before any Durable Object is touched. */
  authenticate(request: Request, env: Env): Promise<string | null> | string | null;
  /** The Durable Object namespace binding; default "CONNECTIONS". */
  binding?: string;
  /** The secret with the token keys, "k2:<base64url 32 bytes>,k1:…"; default "TOKEN_KEYS". */
  keys?: string;
  /** The secret (≥ 32 bytes) that signs state and seals the flow cookie; default "STATE_KEY". */
  stateKey?: string;
  /** A Queue binding name, or a function of the env and the connection's Durable Object returning something with `send(event)`. */
  queue?: string | ((env: Env, connection: DurableObject) => EventQueue);
  /**
   * Told each {@link ConnectionEvent}; a throw leaves it in the outbox, retried.
   * The change that made the event answers once this returns, so keep it quick.
   * It may await calls on other connections; do calls on the connection the
   * event is about (its `fetch`, its `disconnect`) in the Queue's consumer: one
   * can wait for the change being told, which waits for this.
   */
  onEvent?(event: ConnectionEvent, env: Env): void | Promise<void>;
  /** Tests: called at "sealed", "before_request", "answered" and "written" of each refresh, and "exchanged" of a callback. */
  onStep?(step: "sealed" | "before_request" | "answered" | "written" | "exchanged", connection: DurableObject): void | Promise<void>;
  /** Routes' prefix; default "/connections". */
  basePath?: string;
  /** The app's public origin; default the request's. */
  origin?: string | ((env: Env) => string);
  /**
   * The app's page a browser lands on: after a callback that succeeded, a
   * disconnect from a form, and any failure of a signed-in browser's
   * navigation (connect, callback, disconnect), then with exactly
   * `?provider=<name>&error=<code>` appended (`&` if it has a query; never a
   * message or the provider's text). A same-origin path: "/" then not "/"
   * or "\", printable ASCII, no "\" or "#" (`invalid_config` from
   * createConnections; a function's answer is checked at each use, and one
   * that is not such a path answers the JSON instead). Default "/".
   * A navigation: `Sec-Fetch-Mode: navigate`, or no Fetch Metadata and
   * `text/html` first in `Accept`; everything else gets JSON.
   */
  returnTo?: string | ((provider: Provider, label: string) => string);
  /**
   * Called with each route's typed error (every route, a 401 and a 403
   * included) before the default answer; a Response it returns is answered
   * instead (a callback that spent its flow clears the flow cookie on it all the same).
   * Nothing, or a throw: the default answer (a redirect or JSON). The
   * error's `message` and `providerMessage` may quote the provider: show
   * `code`, never put the text in a URL or unescaped HTML.
   */
  onError?(error: OAuthError, request: Request, env: Env): Response | null | undefined | void | Promise<Response | null | undefined | void>;
  /**
   * The most connections one owner may hold (labels are chosen by the
   * request); a connect past it is `too_many_connections` (409). A connect
   * reserves its slot until its flow expires, plus twice its `timeoutMs`
   * and a minute (a callback of the flow's last second), held that long
   * even if the flow is abandoned or the connection disconnected. Default 50.
   */
  maxConnections?: number;
  /** Structured logs; default: the console, at "warn". `false`: none. */
  log?: false | LogOptions;
  /** Refresh and backoff timing. */
  lifecycle?: LifecycleOptions;
  /** The rate budget per provider application; `false` turns it off for every provider. */
  budget?: BudgetOptions | false;
  /**
   * An Analytics Engine dataset binding's name, or a function of the env
   * returning a dataset: a data point per lifecycle event, per budget draw
   * and per daily heartbeat, holding only provider, state, event, code, key
   * id and numbers (README, "Metrics", for the positions and queries).
   */
  metrics?: string | ((env: Env) => AnalyticsEngineDataset | undefined);
  /** The fetch the clients use; default globalThis.fetch. */
  fetch?: typeof fetch;
}

/**
 * One log record: fields named here only, each a code, a state or a name of
 * the module's; never a token, code, state, pending value, verifier, cookie,
 * URL query, label, header value, key, client secret or provider text.
 */
export interface LogRecord {
  level: "debug" | "info" | "warn" | "error";
  /** ISO 8601. */
  at: string;
  /** `state_changed` (a connection's event; refresh outcomes are `refreshed`, `refresh_failed`), `request_refused`,
   * `config_error`. */
  event: "state_changed" | "request_refused" | "config_error";
  /** state_changed: the connection's event type (`connected`, `refreshed`, `refresh_failed`, `exhausted`, `disconnected`,
   * `grant_orphaned`, `reconnect_due`). */
  type?: ConnectionEvent["type"];
  /** The route of a refused request: connect, callback, status, disconnect, api, list. */
  route?: string;
  /** A standard method name; others are left out. */
  method?: string;
  /** Only a configured provider's name. */
  provider?: string;
  /** The error's stable code (or the connection's last error code). */
  code?: string;
  state?: string;
  cause?: string;
  /** The status actually answered (a navigation's redirect: 303; `onError`'s own Response: its status). */
  status?: number;
  /** config_error only: the option whose answer was refused (`returnTo`: not a same-origin path; `onError`: it threw), or
   * whose binding is absent from env (`metrics`, `queue`: told once per isolate, every point or event lost), or `keys`
   * (code `vault_key_error`: the TOKEN_KEYS binding is missing or malformed, or no longer lists the stored tokens' key), or
   * `providers` (a provider's client options: `unknown_environment` on any route; `invalid_client`, `missing_endpoint`
   * at connect or the callback). */
  option?: "returnTo" | "onError" | "metrics" | "queue" | "keys" | "providers";
  /** The owner: base64url of 16 bytes of HMAC-SHA-256 under a key derived from the `stateKey` secret, or the owner itself with `owner: "plain"`. */
  owner?: string;
}

/** One row of an owner's list ({@link Connections.list}, `GET {basePath}`). */
export interface OwnedConnection {
  provider: Provider;
  label: string;
  state: ConnectionState;
  /** When the next refresh or backoff attempt is due (ms since the epoch), or null. */
  nextRefreshAt: number | null;
  /** The last error and when (ms since the epoch), or null: the shape of {@link ConnectionStatus.lastError}. */
  lastError: { code: string; at: number } | null;
  /** The reconnect forecast, as {@link ConnectionStatus.reconnect}. */
  reconnect: ConnectionStatus["reconnect"];
}

/** The `log` option. */
export interface LogOptions {
  /**
   * The least level written; default "warn". State changes and refused
   * requests are "info" (another site can cause a refused request at will),
   * refresh failures, `exhausted` and 5xx answers "warn", configuration errors "error".
   */
  level?: "debug" | "info" | "warn" | "error" | "off";
  /**
   * Where records go; default the console, one JSON line at the record's level. A throw loses that record only.
   * Called in two isolates: the Worker (`request_refused`, `config_error`) and each connection's Durable Object
   * (`state_changed`), so module-level state is not shared; `env` reaches a Queue or another binding.
   */
  sink?(record: LogRecord, env: any): void | Promise<void>;
  /** "hash" (default): a keyed hash, the same owner the same value; "plain": the owner as authenticate gave it. */
  owner?: "hash" | "plain";
}

/** One connection, for your own handlers (from {@link Connections.connection}). */
export interface ConnectionHandle {
  /** JSON.stringify([owner, provider, label]): the object's name. */
  readonly key: string;
  /**
   * The connection's state, without a secret; after a disconnect, state `disconnected`.
   *
   * @throws `OAuthError` (rejects) `connection_not_found` (never made).
   */
  status(): Promise<ConnectionStatus>;
  /**
   * The provider's API with the Bearer token (RFC 6750 §2.1), refreshed
   * first when it has expired; a token the API refuses is refreshed once
   * and the call retried.
   *
   * @throws `OAuthError` (rejects) `invalid_argument` (a header name or
   * value with CR, LF or NUL, a method that is not one, a body `fetch` cannot
   * send), `connection_not_found`,
   * `connection_exhausted` (the user must reconnect), `connection_backoff`
   * and `rate_limited` (both carry `retryAfter`, seconds), `vault_key_error`,
   * and what {@link OAuthClient.fetchApi} and {@link OAuthClient.refresh}
   * reject with.
   */
  fetch(path: `/${string}`, init?: RequestInit): Promise<Response>;
  /**
   * Ends the flows in progress (a consent given before it never lands),
   * revokes the tokens at the provider where the preset can (RFC 7009),
   * then deletes them whatever the answer; `revoked` says whether the
   * revocation succeeded. A consent given before it whose code is being
   * exchanged never lands: its grant is revoked before this answers. A
   * reconnect begun after it waits for it: its code is exchanged once this
   * has answered, and it lands as a new connection.
   * (The route takes a same-origin POST only.)
   *
   * @throws `OAuthError` (rejects) `connection_not_found` (never made, or already disconnected).
   */
  disconnect(): Promise<{ revoked: boolean; status: ConnectionStatus }>;
}

/**
 * What {@link createConnections} returns. Routes under `basePath`:
 * `GET /` (the signed-in owner's connections),
 * `POST /:provider/connect[?label=]` (same origin only: 303 to the provider),
 * `GET /:provider/callback` (register it with the provider),
 * `GET /:provider/status`, `POST /:provider/disconnect` and
 * `ANY /:provider/api/…` (the app's own requests only). A failure answers
 * JSON `{ error, message, retryAfter? }` with its HTTP status (401
 * `unauthenticated`, 403 `cross_site_request` (a GET or HEAD connect or
 * disconnect too), 404 `connection_not_found` or `unknown_provider`, 409
 * `connection_exhausted` or `too_many_connections`, 500 `invalid_config` (a throwing `authenticate`)
 * or `vault_key_error`, 503 `connection_backoff`, …).
 */
export interface Connections<Env = any> {
  /** Export it from your Worker and bind it as a Durable Object class. */
  Connection: new (ctx: DurableObjectState, env: Env) => DurableObject;
  /** Routes under basePath; 404 for anything else. */
  fetch(request: Request, env: Env): Promise<Response>;
  /** Routes under basePath; null for anything else (to chain with your own). */
  handle(request: Request, env: Env): Promise<Response | null>;
  /**
   * The connections `owner` holds (ended ones and connects never finished
   * left out), from the owner's index object: no token, no provider text.
   * `GET {basePath}` answers the same for the signed-in owner as
   * `{ connections }`, `Cache-Control: no-store` (another site's request: 403).
   *
   * @throws `OAuthError` (rejects) `unauthenticated` (no owner).
   */
  list(env: Env, owner: string): Promise<OwnedConnection[]>;
  /**
   * Ends every connection of `owner` (an account's deletion), each as
   * {@link ConnectionHandle.disconnect}; `failed` counts those that could not
   * end (e.g. `vault_key_error`) or were live again when it checked (a reconnect
   * begun meanwhile lands after its disconnect): call it again. It erases no
   * record: each object keeps its name, with the owner in plain (README).
   *
   * @throws `OAuthError` (rejects) `unauthenticated` (no owner).
   */
  disconnectAll(env: Env, owner: string): Promise<{ disconnected: number; failed: number }>;
  /**
   * The owner as hashed log records show it (`LogRecord.owner`): to find one user's records. A keyed hash
   * under the `stateKey` secret: when that secret changes, so does every owner's hash.
   *
   * @throws `OAuthError` (rejects) `invalid_argument` (no owner), `invalid_config` (the `stateKey` secret missing or short).
   */
  ownerHash(env: Env, owner: string): Promise<string>;
  /**
   * A connection of an owner you authenticated yourself.
   *
   * @throws `OAuthError` `unknown_provider` (not configured), `unauthenticated` (no owner), `invalid_argument` (a label over 128 characters, or with a control or non-printable character).
   */
  connection(env: Env, owner: string, provider: Provider, label?: string): ConnectionHandle;
}

/**
 * Builds the Durable Object class and the routes of every configured
 * provider: authorization code flow with PKCE and signed state (RFC 6749
 * §4.1, RFC 7636), one callback path per provider (RFC 9700 §4.4), refresh
 * (RFC 6749 §6) and revocation (RFC 7009).
 *
 * @throws `OAuthError` `invalid_config` (no `providers` or `authenticate`).
 */
export declare function createConnections<Env = any>(options: ConnectionsOptions<Env>): Connections<Env>;

/** Cloudflare's `DurableObjectState` (typed loosely here: no dependency on @cloudflare/workers-types). */
type DurableObjectState = any;
/** Cloudflare's `DurableObject`. */
type DurableObject = any;
