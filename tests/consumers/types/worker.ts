// `partner-oauth/worker`: the factory, its options and what it returns
// type-check; misuse does not (each @ts-expect-error must be an error).
import { createConnections, nextState, backoffDelay } from "partner-oauth/worker";
import type { ConnectionEvent, ConnectionStatus } from "partner-oauth/worker";

interface Env { FACTORIAL_ID: string; FACTORIAL_SECRET: string }

const connections = createConnections<Env>({
  providers: (env) => ({ factorial: { clientId: env.FACTORIAL_ID, clientSecret: env.FACTORIAL_SECRET, tokenKind: "user", tokenKinds: ["user", "company"] } }),
  authenticate: async (request) => request.headers.get("x-user"),
  queue: "EVENTS",
  onEvent: (event: ConnectionEvent) => {
    const kind: "connected" | "refreshed" | "refresh_failed" | "exhausted" | "disconnected" | "grant_orphaned" = event.type;
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
