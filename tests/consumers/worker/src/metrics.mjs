// Issue 30, items 2 and 3: reconnect forecasts and metrics, in real workerd.
// The metrics go to a stub dataset with Analytics Engine's interface
// (writeDataPoint), kept in this isolate's memory for the test to read
// (GET /_test/points): Miniflare's own binding accepts points but cannot be
// queried. Every point is also written to that real binding (AE), and any
// error it throws is kept (GET /_test/points shows them).
import { createConnections } from "partner-oauth/worker";

const points = [];
const realErrors = [];
const events = [];

const dataset = (env) => ({
  writeDataPoint(point) {
    points.push({ ...structuredClone(point), timestamp: Date.now() });
    try {
      env.AE.writeDataPoint(point);
    } catch (e) {
      realErrors.push(String(e?.message ?? e));
    }
  },
});

const providers = (env) => {
  const clients = JSON.parse(env.CLIENTS);
  const endpoints = JSON.parse(env.ENDPOINTS);
  return Object.fromEntries(Object.entries(clients).map(([provider, credentials]) => [provider, {
    ...credentials, endpoints: endpoints[provider], timeoutMs: 5000,
    // PayFit's sandbox, as its guide, wants scopes of its list.
    ...(provider === "payfit" && { scopes: ["contracts:read"] }),
    // Lifetimes in test time: 30 s refresh tokens, and Billit's grant 30 s from consent.
    ...(provider === "payout" && { refreshTokenLifetime: 30 }),
    ...(provider === "factorial" && { tokenKind: "user", refreshTokenLifetime: 30 }),
    ...(provider === "billit" && { grantLifetime: 30 }),
  }]));
};

const connections = createConnections({
  providers,
  authenticate: async (request) => request.headers.get("x-test-user"),
  onEvent: async (event) => { events.push(event); },
  metrics: dataset,
  // Test time: refresh at expiry, 1 s backoff, a re-wrap (and heartbeat) each second, notice 60 s, failing 1 s forecasts.
  lifecycle: { refreshAhead: 0, backoffBase: 1, outboxRetry: 1, refreshTokenMargin: 1, rewrapEvery: 1, reconnectNotice: 60, reconnectGrace: 1 },
});

export class Connection extends connections.Connection {}

// Bindings named but absent from env (a typo in wrangler.toml): each told once, as a config_error record.
const logs = [];
const absent = createConnections({
  providers, authenticate: async (request) => request.headers.get("x-test-user"),
  binding: "ABSENT", basePath: "/absent", metrics: "NO_DATASET", queue: "NO_QUEUE",
  log: { level: "error", sink: (record) => { logs.push(record); } },
});

export class AbsentConnection extends absent.Connection {}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/_test/points") return Response.json({ points, realErrors, events, logs });
    if (url.pathname.startsWith("/absent/")) return (await absent.handle(request, env)) ?? new Response("not found", { status: 404 });
    return (await connections.handle(request, env)) ?? new Response("not found", { status: 404 });
  },
};
