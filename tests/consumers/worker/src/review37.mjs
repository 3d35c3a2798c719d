// Review 37's fixture: the README's integration (default log: the console at
// "warn"), with the providers of the sandbox, the test's owner header, and a
// relay to the test's own server for answers the sandbox never gives.
//   /connections  the app as the README deploys it (origin pinned to ORIGIN)
//   /wrong        the same app after an operator's mistake: Billit's client
//                 secret mistyped, Factorial's environment misspelled
// FACTORIAL_ENVIRONMENT (a binding a test sets by redeploying) is Factorial's
// environment under /connections.
import { createConnections } from "partner-oauth/worker";

/** A client secret a test sets on one connection's object (its isolate): an
 * operator's secret that is wrong for a while, then fixed. */
let secretOverride = null;

const providers = (mistake) => (env) => {
  const clients = JSON.parse(env.CLIENTS);
  const endpoints = JSON.parse(env.ENDPOINTS);
  return Object.fromEntries(Object.entries(clients).map(([provider, credentials]) => [provider, {
    ...credentials,
    ...(provider === "billit" && (mistake || secretOverride) && { clientSecret: mistake ? "billit-secret-typo" : secretOverride }),
    ...(provider === "factorial" && mistake && { environment: "prodution" }),
    ...(provider === "factorial" && env.FACTORIAL_ENVIRONMENT && { environment: env.FACTORIAL_ENVIRONMENT }),
    // PayFit's sandbox, as its guide, wants scopes of its list.
    ...(provider === "payfit" && { scopes: ["contracts:read"] }),
    ...(provider === "factorial" && { tokenKind: "user" }),
    endpoints: endpoints[provider],
    timeoutMs: 5000,
  }]));
};

const authenticate = async (request) => request.headers.get("x-test-user");

const fetchVia = (url, init) => {
  const relay = /\/_relay\/(\d+)(\/.*)$/.exec(String(url));
  return fetch(relay ? `http://127.0.0.1:${relay[1]}${relay[2]}` : url, init);
};

const connections = createConnections({
  providers: providers(false), authenticate, origin: (env) => env.ORIGIN, fetch: fetchVia,
  lifecycle: { refreshAhead: 0, backoffBase: 1, outboxRetry: 1, refreshFloor: 1 },
});
const wrong = createConnections({
  providers: providers(true), authenticate, origin: (env) => env.ORIGIN, fetch: fetchVia,
  binding: "WRONG", basePath: "/wrong",
});

export class Connection extends connections.Connection {
  async testSetSecret(secret) { secretOverride = secret; }
}
export class WrongConnection extends wrong.Connection {}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const routed = (await connections.handle(request, env)) ?? (await wrong.handle(request, env));
    if (routed) return routed;
    if (url.pathname === "/_test/secret") {
      const { owner, provider, label = "", secret } = await request.json();
      const key = JSON.stringify([owner, provider, label]);
      await env.CONNECTIONS.get(env.CONNECTIONS.idFromName(key)).testSetSecret(secret);
      return Response.json({});
    }
    return new Response("not found", { status: 404 });
  },
};
