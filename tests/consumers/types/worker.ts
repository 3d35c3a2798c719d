// `partner-oauth/worker`: the factory, its options and what it returns
// type-check; misuse does not (each @ts-expect-error must be an error).
import { createConnections, nextState, backoffDelay, reconnectForecast } from "partner-oauth/worker";
import type { ConnectionEvent, ConnectionStatus, LogRecord, OwnedConnection } from "partner-oauth/worker";

interface Env { FACTORIAL_ID: string; FACTORIAL_SECRET: string }

const connections = createConnections<Env>({
  providers: (env) => ({ factorial: { clientId: env.FACTORIAL_ID, clientSecret: env.FACTORIAL_SECRET, tokenKind: "user", tokenKinds: ["user", "company"] } }),
  authenticate: async (request) => request.headers.get("x-user"),
  queue: "EVENTS",
  onEvent: (event: ConnectionEvent) => {
    const kind: "connected" | "refreshed" | "refresh_failed" | "exhausted" | "disconnected" | "grant_orphaned" | "reconnect_due" = event.type;
    const revoked: boolean | undefined = event.revoked;
    void kind; void revoked;
  },
  lifecycle: { refreshAhead: 120, maxFailures: 5, refreshFloor: 5 },
});

export const { Connection } = connections;
export async function use(env: Env): Promise<ConnectionStatus> {
  const handle = connections.connection(env, "user-1", "factorial");
  const response: Response = await handle.fetch("/api/v1/employees");
  void response;
  // @ts-expect-error: API paths start with "/"
  await handle.fetch("api/v1/employees");
  // @ts-expect-error: not a provider
  connections.connection(env, "user-1", "github");
  return handle.status();
}

// @ts-expect-error: authenticate is required
createConnections<Env>({ providers: {} });

// `queue` as a function gets the env and the connection's Durable Object, as worker.js calls it.
createConnections<Env>({
  providers: {},
  authenticate: () => null,
  queue: (env, connection) => ({ send: async (event) => { void env.FACTORIAL_ID; void connection; void event.type; } }),
});

const ms: number = backoffDelay(3, 0.5);
const next = nextState({ state: "active" }, { type: "refresh_failed", code: "timeout", now: 0, random: 0.5 });
const state: "active" | "refreshing" | "backoff" | "exhausted" | "disconnected" = next.connection.state;
void ms; void state;

// Issue 30: the rate budget, metrics and forecasts.
interface MetricsEnv { METRICS: { writeDataPoint(point: { blobs?: string[] }): void } }
createConnections<MetricsEnv>({
  providers: { payfit: { clientId: "id", clientSecret: "s", rateLimits: { reads: 40 } }, factorial: { clientId: "id", rateLimits: false, grantLifetime: 86400 } },
  authenticate: () => null,
  budget: { maxWaitMs: 500, headroom: 0.8 },
  metrics: (env) => env.METRICS,
  lifecycle: { reconnectNotice: 3 * 86400, reconnectGrace: 600 },
});
createConnections<MetricsEnv>({ providers: {}, authenticate: () => null, budget: false, metrics: "METRICS" });
// @ts-expect-error: rateLimits is a limit per second or false, not true
createConnections<MetricsEnv>({ providers: { payfit: { clientId: "id", rateLimits: true } }, authenticate: () => null });
export function shown(status: ConnectionStatus): number | null {
  const forecast = reconnectForecast({ state: "backoff", hasRefreshToken: true, refreshTokenExpiresAt: 1 });
  const reason: "grant_lifetime" | "refresh_failing" | "refresh_token_not_renewed" | undefined = forecast?.reason;
  void reason;
  return status.reconnect?.endsAt ?? null;
}
// Issue 27: returnTo, onError and log.
createConnections<Env>({
  providers: {},
  authenticate: () => null,
  returnTo: (provider, label) => `/settings/${provider}/${encodeURIComponent(label)}`,
  onError: (error, request, env) => (error.code === "access_denied" && request.method === "GET" && env.FACTORIAL_ID ? new Response("denied", { status: 403 }) : undefined),
  log: { level: "info", owner: "plain", sink: (record, env) => { const event: string = record.event; void event; void env; } },
});
createConnections<Env>({ providers: {}, authenticate: () => null, log: false });
// @ts-expect-error: a level is one of debug, info, warn, error, off
createConnections<Env>({ providers: {}, authenticate: () => null, log: { level: "verbose" } });
// @ts-expect-error: owner is "hash" or "plain"
createConnections<Env>({ providers: {}, authenticate: () => null, log: { owner: "clear" } });

// Issue 27: an owner's connections.
export async function owned(env: Env): Promise<number> {
  const rows = await connections.list(env, "user-1");
  const first: { provider: string; label: string; state: string; nextRefreshAt: number | null; lastError: { code: string; at: number } | null } | undefined = rows[0];
  void first;
  const hash: string = await connections.ownerHash(env, "user-1");
  void hash;
  const { disconnected, failed } = await connections.disconnectAll(env, "user-1");
  return disconnected + failed;
}
createConnections<Env>({ providers: {}, authenticate: () => null, maxConnections: 10 });
// @ts-expect-error: maxConnections is a number
createConnections<Env>({ providers: {}, authenticate: () => null, maxConnections: "10" });

// status() shows the re-wrap and call decisions beside refresh; reasons are constants.
import { REASON, transition } from "partner-oauth/worker/lifecycle";
export async function decisions(env: Env): Promise<boolean> {
  const s = await connections.connection(env, "user-1", "factorial").status();
  return s.rewrap.should && s.call.reason === REASON.exhausted && s.refresh.should;
}
const invalid: "invalid_event" | undefined = transition(null, { type: "flows_expired", now: 0 }).reason;
void invalid;

// A reconnect_due event says why and when; the owner's list and log records show the forecast and the type.
export function told(event: ConnectionEvent, row: OwnedConnection, record: LogRecord): [string | undefined, string | undefined, number | undefined] {
  const reason: "grant_lifetime" | "refresh_failing" | "refresh_token_not_renewed" | undefined = event.reason;
  const option: "returnTo" | "onError" | "metrics" | "queue" | "keys" | "providers" | undefined = record.option;
  void option;
  // @ts-expect-error: a log record's type is an event's type
  const other: LogRecord["type"] = "anything";
  void other;
  return [reason, event.endsAt, row.reconnect?.endsAt];
}
