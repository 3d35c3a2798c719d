// Types of partner-oauth/worker: one Durable Object per connection.
import type { ClientOptions, Provider, TokenKind, ErrorCode } from "./index.js";
import type { ConnectionState, LifecycleOptions } from "./lifecycle.js";

export * from "./lifecycle.js";

/** A provider's client options (redirectUri and stateKey are set for you), plus what to ask for. */
export type ConnectionProvider<P extends Provider = Provider> = Omit<ClientOptions<P>, "provider" | "redirectUri" | "stateKey"> & {
  scopes?: string[];
  tokenKind?: TokenKind;
  params?: Record<string, string>;
  /** Seconds a refresh token lives (Payout: 90 days by default); refreshed a day before. */
  refreshTokenLifetime?: number;
};

/** Told at least once per change; never carries a secret. `id` de-duplicates. */
export interface ConnectionEvent {
  id: string;
  type: "connected" | "refreshed" | "refresh_failed" | "exhausted" | "disconnected";
  /** The Durable Object's id. */
  connection: string;
  provider: Provider;
  label: string;
  owner: string;
  /** ISO 8601. */
  at: string;
  state: ConnectionState;
  /** Why it ended: invalid_grant, refresh_outcome_unknown, too_many_failures, superseded, user. */
  cause: string | null;
  /** The last error's code. */
  code: ErrorCode | string | null;
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
  /** The next proactive refresh, or the next attempt while in backoff. */
  nextRefreshAt: number | null;
  refreshTokenIssuedAt: number | null;
  refreshTokenExpiresAt: number | null;
  companyId: string | null;
  scopes: string[];
}

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
  /** A Queue binding name, or a function returning something with `send(event)`. */
  queue?: string | ((env: Env) => { send(body: ConnectionEvent): Promise<unknown> });
  onEvent?(event: ConnectionEvent, env: Env): void | Promise<void>;
  /** Tests: called at "before_request", "answered" and "written" of each refresh. */
  onStep?(step: "before_request" | "answered" | "written", connection: DurableObject): void | Promise<void>;
  /** Routes' prefix; default "/connections". */
  basePath?: string;
  /** The app's public origin; default the request's. */
  origin?: string | ((env: Env) => string);
  /** Where the callback sends the browser after success; default "/". */
  returnTo?: string | ((provider: Provider, label: string) => string);
  lifecycle?: LifecycleOptions;
  /** The fetch the clients use; default globalThis.fetch. */
  fetch?: typeof fetch;
}

export interface ConnectionHandle {
  /** JSON.stringify([owner, provider, label]): the object's name. */
  readonly key: string;
  status(): Promise<ConnectionStatus>;
  /** The provider's API with the Bearer token; rate_limited carries `retryAfter` (seconds). */
  fetch(path: `/${string}`, init?: RequestInit): Promise<Response>;
  disconnect(): Promise<{ revoked: boolean; status: ConnectionStatus }>;
}

export interface Connections<Env = any> {
  /** Export it from your Worker and bind it as a Durable Object class. */
  Connection: new (ctx: DurableObjectState, env: Env) => DurableObject;
  /** Routes under basePath; 404 for anything else. */
  fetch(request: Request, env: Env): Promise<Response>;
  /** Routes under basePath; null for anything else (to chain with your own). */
  handle(request: Request, env: Env): Promise<Response | null>;
  /** A connection of an owner you authenticated yourself. */
  connection(env: Env, owner: string, provider: Provider, label?: string): ConnectionHandle;
}

export declare function createConnections<Env = any>(options: ConnectionsOptions<Env>): Connections<Env>;

type DurableObjectState = any;
type DurableObject = any;
