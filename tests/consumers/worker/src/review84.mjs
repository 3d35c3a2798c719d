// Review 84 fixture (review 83's first): review 80's, plus a log of what reaches the token and revocation
// endpoints; REFRESH_DELAY_MS (review 87) holds refresh_token requests that long, and REFRESH_STATUS
// (review 88) then answers them with that status itself (a provider's transient failure); ONEVENT_DELAY_MS
// (review 88): the app's onEvent takes that long for a `refreshed` event (a webhook), logged as
// onevent_refreshed. Review 89: USER_REVOKE=1 models a provider that revokes the user's whole authorization
// for this client (review 88's S1: any revocation also ends every grant this fixture saw issued; one owner a
// test); EXCHANGE_HOLD_NTH / EXCHANGE_HOLD_MS hold the nth authorization_code answer (the grant already issued)
// that long; ONEVENT_DISCONNECTED_MS: the app's onEvent takes that long for a `disconnected` event. Review 90:
// ONEVENT_REENTER=<event type>: the app's onEvent, told that event, disconnects the connection it is about
// (logged as reenter_sent and reenter_answered). Review 91: ONEVENT_CROSS_MS: told `connected` for label x (y),
// onEvent waits that long, then disconnects label y (x) and awaits it.
// Review 93: LOG_SINK_MS: the log sink (level info, owner plain) takes that long for each state_changed record
// (a log shipper over the network; logged as sink_<type>). STATE_MAX_AGE: the providers' stateMaxAge (s), so a
// connect's owner-index reservation lapses sooner (stateMaxAge + 2 timeoutMs + 60 s).
// Review 100: LOG_SINK_TYPE=<event type>: only that type's state_changed record takes LOG_SINK_MS.
// Review 101: LOG_SINK_REENTER=<event type>: the log sink, given that type's state_changed record, disconnects the
// connection it is about (label x; logged as sink_reenter_sent and sink_reenter_answered).
// PER_TOKEN_REVOKE=1 models a provider that revokes only the token presented (Doorkeeper-like, no
// grant family): the revocation is logged and answered 200 here, the sandbox's family revocation not run.
import { createConnections } from "partner-oauth/worker";

let crossMs = 0, onDisconnectedDelay = 0, userRevoke = false, holdNth = 0, holdMs = 0, exchanges = 0, reenter = "";
const seen = [];
let revokeDelay = 0, perToken = false, refreshDelay = 0, refreshStatus = 0, onEventDelay = 0;
const log = [];
const providers = (env) => {
  revokeDelay = Number(env.REVOKE_DELAY_MS ?? 0);
  userRevoke = env.USER_REVOKE === "1";
  holdNth = Number(env.EXCHANGE_HOLD_NTH ?? 0);
  holdMs = Number(env.EXCHANGE_HOLD_MS ?? 0);
  onDisconnectedDelay = Number(env.ONEVENT_DISCONNECTED_MS ?? 0);
  reenter = env.ONEVENT_REENTER ?? "";
  crossMs = Number(env.ONEVENT_CROSS_MS ?? 0);
  perToken = env.PER_TOKEN_REVOKE === "1";
  refreshDelay = Number(env.REFRESH_DELAY_MS ?? 0);
  refreshStatus = Number(env.REFRESH_STATUS ?? 0);
  onEventDelay = Number(env.ONEVENT_DELAY_MS ?? 0);
  const clients = JSON.parse(env.CLIENTS);
  const endpoints = JSON.parse(env.ENDPOINTS);
  return Object.fromEntries(Object.entries(clients).map(([provider, credentials]) => [provider, {
    ...credentials, endpoints: endpoints[provider], timeoutMs: Number(env.TIMEOUT_MS ?? 4000),
    ...(env.STATE_MAX_AGE && { stateMaxAge: Number(env.STATE_MAX_AGE) }), // review 93
    ...(provider === "factorial" && { tokenKind: "user" }),
  }]));
};
const logged = async (url, init) => {
  const path = new URL(typeof url === "string" ? url : url.url).pathname;
  const body = typeof init?.body === "string" ? init.body : init?.body ? String(init.body) : "";
  if (path.endsWith("/oauth/token") && /grant_type=refresh_token/.test(body) && refreshDelay > 0) {
    log.push({ at: Date.now(), what: "refresh_sent" });
    await new Promise((r) => setTimeout(r, refreshDelay));
    if (refreshStatus > 0) {
      log.push({ at: Date.now(), what: "token_refresh_token", status: refreshStatus });
      return Response.json({ error: "temporarily_unavailable" }, { status: refreshStatus });
    }
  }
  if (path.endsWith("/oauth/revoke")) {
    log.push({ at: Date.now(), what: "revoke_sent", token: new URLSearchParams(body).get("token") });
    if (revokeDelay > 0) await new Promise((r) => setTimeout(r, revokeDelay));
    log.push({ at: Date.now(), what: "revoke_reaches_provider" });
    if (perToken) return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
    const answer = await fetch(url, init);
    if (userRevoke) {
      // The whole authorization: every grant of this user and client, as the provider holds them now.
      for (const token of [...seen]) {
        const params = new URLSearchParams(body);
        params.set("token", token);
        await fetch(url, { ...init, body: params.toString() });
      }
      log.push({ at: Date.now(), what: "user_authorization_revoked", grants: seen.length });
    }
    return answer;
  }
  const res = await fetch(url, init);
  if (path.endsWith("/oauth/token")) {
    const grant = new URLSearchParams(body).get("grant_type");
    const j = await res.clone().json().catch(() => ({}));
    log.push({ at: Date.now(), what: `token_${grant}`, status: res.status, sent: new URLSearchParams(body).get("refresh_token"), access: j.access_token, refresh: j.refresh_token });
    if (j.refresh_token) seen.push(j.refresh_token);
    if (grant === "authorization_code" && ++exchanges === holdNth && holdMs > 0) {
      log.push({ at: Date.now(), what: "exchange_held", refresh: j.refresh_token });
      await new Promise((r) => setTimeout(r, holdMs));
      log.push({ at: Date.now(), what: "exchange_released" });
    }
  }
  return res;
};
const authenticate = (request) => request.headers.get("x-test-user");
const lifecycle = { refreshAhead: 0, backoffBase: 1, outboxRetry: 1, refreshFloor: 1 };
const events = [];
const plain = createConnections({
  providers, authenticate, binding: "PLAIN", basePath: "/plain", lifecycle,
  log: { level: "info", owner: "plain", sink: async (record, env) => {
    const ms = Number(env?.LOG_SINK_MS ?? 0);
    // Review 100: LOG_SINK_TYPE: only that event type's record takes LOG_SINK_MS.
    if (ms > 0 && record.event === "state_changed" && (!env?.LOG_SINK_TYPE || env.LOG_SINK_TYPE === record.type)) {
      log.push({ at: Date.now(), what: `sink_${record.type}` });
      await new Promise((r) => setTimeout(r, ms));
    }
    if (env?.LOG_SINK_REENTER && record.event === "state_changed" && record.type === env.LOG_SINK_REENTER) {
      log.push({ at: Date.now(), what: "sink_reenter_sent", type: record.type });
      const answer = await plain.connection(env, record.owner, record.provider, "x").disconnect().catch((e) => ({ error: e.code }));
      log.push({ at: Date.now(), what: "sink_reenter_answered", answer: answer?.error ?? answer?.status?.state ?? null });
    }
  } }, maxConnections: 3, fetch: logged,
  onEvent: async (event, env) => {
    events.push({ at: Date.now(), type: event.type, state: event.state ?? null, code: event.code ?? null, cause: event.cause ?? null });
    if (reenter && event.type === reenter) {
      log.push({ at: Date.now(), what: "reenter_sent", type: event.type });
      const answer = await plain.connection(env, event.owner, event.provider, event.label).disconnect().catch((e) => ({ error: e.code }));
      log.push({ at: Date.now(), what: "reenter_answered", answer });
    }
    // Review 91: an app that keeps one connection per provider: told `connected` for one label, it disconnects the other.
    if (crossMs > 0 && event.type === "connected") {
      const other = event.label === "x" ? "y" : "x";
      log.push({ at: Date.now(), what: `cross_${event.label}_sent` });
      await new Promise((r) => setTimeout(r, crossMs));
      const answer = await plain.connection(env, event.owner, event.provider, other).disconnect().catch((e) => ({ error: e.code }));
      log.push({ at: Date.now(), what: `cross_${event.label}_answered`, answer: answer?.error ?? answer?.status?.state });
    }
    if (event.type === "disconnected" && onDisconnectedDelay > 0) {
      log.push({ at: Date.now(), what: "onevent_disconnected" });
      await new Promise((r) => setTimeout(r, onDisconnectedDelay));
      log.push({ at: Date.now(), what: "onevent_disconnected_done" });
    }
    if (event.type === "refreshed" && onEventDelay > 0) {
      log.push({ at: Date.now(), what: "onevent_refreshed" });
      await new Promise((r) => setTimeout(r, onEventDelay));
    }
  },
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
    if (url.pathname === "/_test/log") return Response.json({ log, events });
    if (url.pathname === "/_test/disconnectAll") return Response.json(await plain.disconnectAll(env, url.searchParams.get("owner")));
    return (await plain.handle(request, env)) ?? new Response("not found", { status: 404 });
  },
};
