// `partner-oauth/worker`: the factory, its options and what it returns
// type-check; misuse does not (each @ts-expect-error must be an error).
import { createConnections, nextState, backoffDelay, reconnectForecast } from "partner-oauth/worker";
import type { ConnectionEvent, ConnectionStatus } from "partner-oauth/worker";

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
  lifecycle: { reconnectNotice: 3 * 86400 },
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
