// Review 80's fixture: /plain with maxConnections 3, factorial (revocable) and billit.
// The provider's revocation endpoint answers after REVOKE_DELAY_MS (a slow provider,
// within timeoutMs); nothing else is changed.
import { createConnections } from "partner-oauth/worker";

let revokeDelay = 0;
const providers = (env) => {
  revokeDelay = Number(env.REVOKE_DELAY_MS ?? 0);
  const clients = JSON.parse(env.CLIENTS);
  const endpoints = JSON.parse(env.ENDPOINTS);
  return Object.fromEntries(Object.entries(clients).map(([provider, credentials]) => [provider, {
    ...credentials, endpoints: endpoints[provider], timeoutMs: Number(env.TIMEOUT_MS ?? 4000),
    ...(env.STATE_MAX_AGE && { stateMaxAge: Number(env.STATE_MAX_AGE) }),
  }]));
};
const slowRevoke = async (url, init) => {
  const path = new URL(typeof url === "string" ? url : url.url).pathname;
  if (path.endsWith("/oauth/revoke") && revokeDelay > 0) await new Promise((r) => setTimeout(r, revokeDelay));
  return fetch(url, init);
};
const authenticate = (request) => request.headers.get("x-test-user");
const lifecycle = { refreshAhead: 0, backoffBase: 1, outboxRetry: 1, refreshFloor: 1 };
const events = [];
const plain = createConnections({
  providers, authenticate, binding: "PLAIN", basePath: "/plain", lifecycle, log: false, maxConnections: 3, fetch: slowRevoke,
  onEvent: (event) => { events.push(event); },
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
    if (url.pathname === "/_test/disconnectAll") return Response.json(await plain.disconnectAll(env, url.searchParams.get("owner")));
    if (url.pathname === "/_test/events") return Response.json(events);
    if (url.pathname === "/_test/index") {
      const owner = url.searchParams.get("owner");
      const name = JSON.stringify(["partner-oauth:index", "owner", owner, ""]);
      return Response.json(await env.PLAIN.get(env.PLAIN.idFromName(name)).index(name, "list"));
    }
    return (await plain.handle(request, env)) ?? new Response("not found", { status: 404 });
  },
};
