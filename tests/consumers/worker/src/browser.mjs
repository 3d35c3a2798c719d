// Issue 27's fixture: partner-oauth/worker for browsers and operators.
// /app: error redirects to returnTo, an onError page, the owner's list, and
// every log record at debug on the console (the test reads workerd's output).
// /plain: `log.owner: "plain"` through a sink of its own, returnTo "/" and maxConnections 3. Each has its own Durable Object
// class. The owner: an `x-test-user` header, the tests' stand-in for a session.
import { createConnections } from "partner-oauth/worker";

let wire = null;

const providers = (env) => {
  wire = env.COLLECTOR;
  const clients = JSON.parse(env.CLIENTS);
  const endpoints = JSON.parse(env.ENDPOINTS);
  return Object.fromEntries(Object.entries(clients).map(([provider, credentials]) => [provider, {
    ...credentials, endpoints: endpoints[provider], timeoutMs: Number(env.TIMEOUT_MS ?? 2000),
    // A test's own Miniflare may shorten flows (the S1 test).
    ...(env.STATE_MAX_AGE && { stateMaxAge: Number(env.STATE_MAX_AGE) }),
  }]));
};

const authenticate = (request) => request.headers.get("x-test-user");

/** Every request to a provider and its answer, told to the test's collector:
 * the secrets that went over the wire, which the log scan looks for. */
async function recorded(url, init) {
  const request = new Request(url, init);
  const body = request.body ? await request.clone().text() : "";
  const response = await fetch(request);
  if (!wire) return response;
  const answer = await response.clone().text();
  await fetch(`${wire}/wire`, { method: "POST", body: JSON.stringify({ url: request.url, body, headers: Object.fromEntries(request.headers), answer }) });
  return response;
}

/** returnTo: "/home", but a label "evil" gets a target that is not a
 * same-origin path (a function's answer is checked at each use). */
const returnTo = (provider, label) => (label === "evil" ? "//evil.example/" : label === "query" ? "/home?tab=partners" : "/home");

/** The app's own error page when the request asks for it (x-test-own-page). */
const onError = (error, request) => (request.headers.has("x-test-own-page")
  ? new Response(`<p>own page: ${error.code}</p>`, { status: 418, headers: { "content-type": "text/html" } })
  : undefined);

const lifecycle = { refreshAhead: 0, backoffBase: 1, outboxRetry: 1, refreshFloor: 1 };

const app = createConnections({
  providers, authenticate, binding: "APP", basePath: "/app", returnTo, onError, fetch: recorded, lifecycle,
  log: { level: "debug" },
});
/** /plain's sink: the console line, with what `env` (its second argument) holds, in the Worker and in the object alike. */
const sink = (record, env) => console.log(JSON.stringify({ ...record, sinkEnv: env?.SINK_MARK ?? null }));
const plain = createConnections({
  providers, authenticate, binding: "PLAIN", basePath: "/plain", fetch: recorded, lifecycle,
  log: { level: "info", owner: "plain", sink }, maxConnections: 3,
});

export class AppConnection extends app.Connection {}
export class PlainConnection extends plain.Connection {}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const routed = (await app.handle(request, env)) ?? (await plain.handle(request, env));
    if (routed) return routed;
    // The test's requests, rebuilt here: a client outside workerd cannot send
    // Sec-Fetch-Mode (fetch sets it to "cors"), a browser does.
    if (url.pathname === "/_test/relay") {
      const { path, method = "GET", headers = {}, body } = await request.json();
      const relayed = new Request(new URL(path, url), { method, headers, body });
      return (await app.handle(relayed, env)) ?? (await plain.handle(relayed, env)) ?? new Response("not found", { status: 404 });
    }
    if (url.pathname === "/_test/rpc") {
      // One RPC to the APP object named `name` (the index confusion tests).
      const { name, method, args } = await request.json();
      try {
        return Response.json({ value: (await env.APP.get(env.APP.idFromName(name))[method](...args)) ?? null });
      } catch (e) {
        return Response.json({ thrown: String(e?.message ?? e) });
      }
    }
    if (url.pathname === "/_test/config") return configCheck(await request.json());
    if (url.pathname === "/_test/ownerHash") return Response.json(await app.ownerHash(env, url.searchParams.get("owner")));
    if (url.pathname === "/_test/list") return Response.json(await app.list(env, url.searchParams.get("owner")));
    if (url.pathname === "/_test/disconnectAll") return Response.json(await app.disconnectAll(env, url.searchParams.get("owner")));
    return new Response("not found", { status: 404 });
  },
};

/** createConnections with the options given: "ok", or the typed error's code. */
function configCheck(options) {
  try {
    createConnections({ providers: {}, authenticate, ...options });
    return Response.json({ code: "ok" });
  } catch (error) {
    return Response.json({ code: error?.code ?? String(error) });
  }
}
