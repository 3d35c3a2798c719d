// Review 73's fixture: /plain with maxConnections 3, billit and payfit.
import { createConnections } from "partner-oauth/worker";

const providers = (env) => {
  const clients = JSON.parse(env.CLIENTS);
  const endpoints = JSON.parse(env.ENDPOINTS);
  return Object.fromEntries(Object.entries(clients).map(([provider, credentials]) => [provider, {
    ...credentials, endpoints: endpoints[provider], timeoutMs: Number(env.TIMEOUT_MS ?? 2000),
    ...(provider === "payfit" && { scopes: ["contracts:read"] }),
    ...(env.STATE_MAX_AGE && { stateMaxAge: Number(env.STATE_MAX_AGE) }),
  }]));
};
const authenticate = (request) => request.headers.get("x-test-user");
const lifecycle = { refreshAhead: 0, backoffBase: 1, outboxRetry: 1, refreshFloor: 1 };
const plain = createConnections({
  providers, authenticate, binding: "PLAIN", basePath: "/plain", lifecycle, log: false, maxConnections: 3,
});
export class PlainConnection extends plain.Connection {}
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/_test/relay") {
      const { path, method = "GET", headers = {}, body } = await request.json();
      const relayed = new Request(new URL(path, url), { method, headers, body });
      return (await plain.handle(relayed, env)) ?? new Response("not found", { status: 404 });
    }
    if (url.pathname === "/_test/list") return Response.json(await plain.list(env, url.searchParams.get("owner")));
    if (url.pathname === "/_test/index") {
      const owner = url.searchParams.get("owner");
      const name = JSON.stringify(["partner-oauth:index", "owner", owner, ""]);
      return Response.json(await env.PLAIN.get(env.PLAIN.idFromName(name)).index(name, "list"));
    }
    return (await plain.handle(request, env)) ?? new Response("not found", { status: 404 });
  },
};
