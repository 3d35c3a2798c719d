// Issue 30: the rate budget per provider application, in real workerd. The
// sandbox's PayFit and Factorial clients; the shipped Connection class under
// /connections, and under /flaky a class whose budget object always fails
// (calls then fall back to per-connection backoff).
import { createConnections } from "partner-oauth/worker";

const providers = (env) => {
  const clients = JSON.parse(env.CLIENTS);
  const endpoints = JSON.parse(env.ENDPOINTS);
  const budget = env.RATE_LIMITS ? JSON.parse(env.RATE_LIMITS) : {};
  return Object.fromEntries(Object.entries(clients).map(([provider, credentials]) => [provider, {
    ...credentials, endpoints: endpoints[provider], timeoutMs: 5000,
    ...(provider === "factorial" && { tokenKind: "company" }),
    // PayFit's sandbox, as its guide, wants scopes of its list.
    ...(provider === "payfit" && { scopes: ["contracts:read"] }),
    ...(Object.hasOwn(budget, provider) && { rateLimits: budget[provider] }),
  }]));
};
const authenticate = async (request) => request.headers.get("x-test-user");
const lifecycle = { outboxRetry: 1 };

// Budget waits, for the load test's figures (a stub with Analytics Engine's interface).
const waits = [];
const metrics = () => ({ writeDataPoint: (point) => { if (point.blobs[0].startsWith("budget_")) waits.push([point.blobs[3], point.doubles[2]]); } });

const connections = createConnections({ providers, authenticate, lifecycle, budget: { maxWaitMs: 1000 }, metrics });
const flaky = createConnections({ providers, authenticate, lifecycle, binding: "FLAKY", basePath: "/flaky" });

export class Connection extends connections.Connection {}

/** A budget object that fails every draw (not a refusal): an outage of the budget. */
export class FlakyConnection extends flaky.Connection {
  async budgetDraw() {
    throw new Error("budget object down (test)");
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/_test/waits") return Response.json(waits.splice(0));
    if (url.pathname === "/_test/rpc") {
      // A raw RPC to any object of the binding, by name: the name-confusion tests.
      const { binding = "CONNECTIONS", name, method, args } = await request.json();
      const stub = env[binding].get(env[binding].idFromName(name));
      try {
        return Response.json({ value: (await stub[method](...args)) ?? null });
      } catch (e) {
        return Response.json({ thrown: String(e?.message ?? e) });
      }
    }
    return (await connections.handle(request, env)) ?? (await flaky.handle(request, env)) ?? new Response("not found", { status: 404 });
  },
};
