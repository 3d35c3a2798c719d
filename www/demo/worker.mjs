// The demo's back end: a Cloudflare Worker (run in workerd by www/demo.mjs)
// built on partner-oauth/worker. Each connection is a Durable Object that owns
// its tokens; the page reads their status (never a token), calls each
// provider's API through its connection, flips the sandbox's fault switches,
// and shows the events the Queue consumer stored in the Log object.
//
// The owner: the visitor, named by a random cookie the page sets on first
// load (a sign-in stub; a real app reads its session, examples/worker-app).
import { DurableObject } from "cloudflare:workers";
import { createConnections } from "partner-oauth/worker";
import page from "./index.html";
import script from "./app.js?text";
import style from "./style.css";

/** What the demo asks each provider for on connect. */
const SCOPES = { payfit: ["contracts:read", "collaborators:read"], payout: ["VERIFY"], tropipay: ["ALLOW_GET_PROFILE_DATA"] };

/** Sandbox clients unless .env gave real credentials (then the preset's endpoints apply). */
const providers = (env) => {
  const sandbox = JSON.parse(env.SANDBOX_CLIENTS);
  const real = JSON.parse(env.REAL_CLIENTS || "{}");
  return Object.fromEntries(Object.keys(sandbox).map((provider) => [provider, {
    ...(real[provider] ?? sandbox[provider]),
    stateMaxAge: Number(env.STATE_MAX_AGE),
    ...(SCOPES[provider] && { scopes: SCOPES[provider] }),
    // Factorial: a company token (never expires) unless the page asks for a user's.
    ...(provider === "factorial" && { tokenKind: "company", tokenKinds: ["company", "user"] }),
  }]));
};

const connections = createConnections({
  providers,
  authenticate: (request) => visitor(request),
  origin: (env) => env.ORIGIN,
  queue: "EVENTS",
  // Demo timing, so a visitor sees each state within seconds: refresh 10 s
  // before expiry, 2 s backoff steps, four transient failures end it.
  lifecycle: { refreshAhead: 10, backoffBase: 2, maxFailures: 4, outboxRetry: 1 },
});

export class Connection extends connections.Connection {}

/** The event log: what the Queue consumer received, newest last (the last 500). */
export class Log extends DurableObject {
  async add(events) {
    const log = (await this.ctx.storage.get("log")) ?? [];
    const seen = new Set(log.map((e) => e.id));
    for (const event of events) if (!seen.has(event.id)) log.push(event);
    await this.ctx.storage.put("log", log.slice(-500));
  }
  async list() { return (await this.ctx.storage.get("log")) ?? []; }
}

/** The sandbox's fault switches, by the page's names (sandbox admin routes). */
const FAULTS = {
  expire: () => ["clock", { advance: 7200 }],
  short: (clientId) => ["switch", { clientId, expiresIn: 15 }],
  refuse: (clientId) => ["switch", { clientId, refuseRefresh: true }],
  unavailable: (clientId) => ["switch", { clientId, unavailable: { on: "token", status: 503, retryAfter: 2, times: 2 } }],
  limited: (clientId) => ["switch", { clientId, unavailable: { on: "token", status: 429, retryAfter: 3, times: 1 } }],
  slow: (clientId) => ["switch", { clientId, delayMs: 3000 }],
  uninstall: (clientId) => ["switch", { clientId, uninstall: true }],
  reset: (clientId) => ["switch", { clientId, reset: true }],
};

const log = (env) => env.LOG.get(env.LOG.idFromName("log"));

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const routed = await connections.handle(request, env);
    if (routed) return url.pathname.endsWith("/callback") ? backToPage(routed) : routed;
    if (url.pathname === "/") {
      // Never framed: another port of 127.0.0.1 is the same site, so a frame there gets the visitor's cookie.
      const headers = new Headers({ "content-type": "text/html; charset=utf-8", "content-security-policy": "frame-ancestors 'none'", "x-frame-options": "DENY" });
      if (!visitor(request)) headers.set("set-cookie", `visitor=${crypto.randomUUID()}; Path=/; HttpOnly; SameSite=Lax`);
      return new Response(page, { headers });
    }
    if (url.pathname === "/app.js") return new Response(script, { headers: { "content-type": "text/javascript" } });
    if (url.pathname === "/style.css") return new Response(style, { headers: { "content-type": "text/css" } });
    if (url.pathname === "/demo/providers") {
      const real = JSON.parse(env.REAL_CLIENTS || "{}");
      return Response.json(Object.keys(JSON.parse(env.SANDBOX_CLIENTS)).map((provider) => ({ provider, real: Boolean(real[provider]) })));
    }
    if (url.pathname === "/demo/status") return Response.json(await statuses(env, request));
    if (url.pathname === "/demo/events") return Response.json((await log(env).list()).filter((e) => e.owner === visitor(request)));
    const fault = url.pathname.match(/^\/demo\/fault\/([a-z]+)\/([a-z]+)$/);
    if (fault && request.method === "POST" && request.headers.get("origin") === env.ORIGIN && FAULTS[fault[2]]) {
      const clientId = JSON.parse(env.SANDBOX_CLIENTS)[fault[1]]?.clientId;
      if (!clientId || JSON.parse(env.REAL_CLIENTS || "{}")[fault[1]]) return Response.json({ error: "no_sandbox" }, { status: 400 });
      const [route, body] = FAULTS[fault[2]](clientId);
      const answer = await fetch(`${env.SANDBOX_URL}/_sandbox/${route}`, { method: "POST", body: JSON.stringify(body) });
      return Response.json(await answer.json(), { status: answer.status });
    }
    return new Response("not found", { status: 404 });
  },
  // The Queue's consumer: every connection event, into the page's log.
  async queue(batch, env) {
    await log(env).add(batch.messages.map((m) => m.body));
    batch.ackAll();
  },
};

/** Every provider's connection status for this visitor (null: never connected), in one answer. */
async function statuses(env, request) {
  const owner = visitor(request);
  const names = Object.keys(JSON.parse(env.SANDBOX_CLIENTS));
  if (!owner) return Object.fromEntries(names.map((p) => [p, null]));
  return Object.fromEntries(await Promise.all(names.map(async (provider) => [provider,
    await connections.connection(env, owner, provider).status().catch((e) => { if (e?.code === "connection_not_found") return null; throw e; })])));
}

function visitor(request) {
  const cookie = (request.headers.get("cookie") ?? "").split(";").map((c) => c.trim()).find((c) => c.startsWith("visitor="));
  const id = cookie?.slice("visitor=".length) ?? "";
  return /^[0-9a-f-]{36}$/.test(id) ? id : null;
}

/** A failed callback answers JSON; the page shows it instead (issue 27 will redirect with ?error=). */
async function backToPage(response) {
  if (response.status < 400) return response;
  const { error, message } = await response.json();
  const headers = new Headers({ location: `/?${new URLSearchParams({ error, message })}` });
  const cookie = response.headers.get("set-cookie");
  if (cookie) headers.set("set-cookie", cookie);
  return new Response(null, { status: 303, headers });
}
