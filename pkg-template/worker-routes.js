// Routes of partner-oauth/worker: the requests a browser sends under
// `basePath`, the pending flow's signed cookie (worker-cookie.js), and `connection()` for
// the app's own handlers. Every route ends in an RPC to one connection's
// Durable Object (worker-connection.js); nothing here reads its storage.
import { OAuthClient } from "./workerd.js";
import { OAuthError } from "__OAUTH_ERROR__";
import { seal } from "./sealed.js";
import { cookieName, clearCookie, sealCookie, openCookie, ownerMark, readCookies, timingSafeEqual } from "./worker-cookie.js";
import { unwrap, stubOf } from "./worker-rpc.js";
import { configRefusal } from "./worker-log.js";
import { isNavigation, redirectsOnError, errorLocation, seeOther, withCookie } from "./worker-navigation.js";
import { reserve, listOwned, disconnectOwned } from "./worker-owners.js";
import { REQUEST_TOO_LARGE, authenticated, notCrossSite, sameOrigin, ownRequest } from "./worker-request.js";
import { proxied, nullBody, readBody, apiInit, pick } from "./worker-request.js";

const ROUTES = new Set(["connect", "callback", "status", "disconnect", "api"]);
const HTTP_STATUS = {
  unauthenticated: 401, cross_site_request: 403, connection_not_found: 404, unknown_provider: 404,
  connection_exhausted: 409, too_many_connections: 409, connection_backoff: 503, rate_limited: 429, vault_key_error: 500,
  invalid_config: 500, network_error: 502, http_error: 502, invalid_response: 502, timeout: 504,
  token_expired: 502, invalid_token: 502, token_revoked: 502, input_too_large: 502,
};
/** Every JSON answer of ours: never sniffed as a page, never cached (it is one owner's). */
// After a last-second callback's exchange: time for its record to reach the owner's list.
const RECORD_SLACK_MS = 60_000;
const JSON_HEADERS = { "content-type": "application/json", "x-content-type-options": "nosniff", "cache-control": "no-store" };
const json = (body) => Response.json(body, { headers: JSON_HEADERS });

/** `{ connection, handle }` over the configuration `cfg` (worker.js's configure). */
export function createRoutes(cfg) {
  /** A connection of `owner` (already authenticated by you), for your own handlers. */
  function connection(env, owner, provider, label = "") {
    known(env, provider);
    const key = connectionKey(owner, provider, label);
    const stub = () => stubOf(env[cfg.binding], key);
    return {
      key,
      status: async () => unwrap(await stub().status(key)).status,
      disconnect: async () => unwrap(await stub().disconnect(key)),
      /** `fetch` to the provider's API through the connection: a Response. */
      fetch: async (path, init = {}) => {
        const { method, headers, body } = await apiInit(init);
        const result = unwrap(await stub().fetchApi(key, path, { method, headers, body }));
        return new Response(nullBody(result.status) ? null : result.body, { status: result.status, headers: proxied(result.headers) });
      },
    };
  }

  /** Routes under `basePath` (default /connections):
   *   GET  {base}                                the signed-in owner's connections (not when basePath is "/")
   *   POST {base}/:provider/connect[?label=]     same origin only: 303 to the provider
   *   GET  {base}/:provider/callback             the provider's redirect back
   *   GET  {base}/:provider/status[?label=]      the connection's state, no secret
   *   POST {base}/:provider/disconnect[?label=]  same origin only
   *   ANY  {base}/:provider/api/…[?label=]       the provider's API through the connection
   * Anything else under no route: null from `handle`, 404 from `fetch`. */
  async function handle(request, env) {
    const url = new URL(request.url);
    // The list: {base} itself (never the site's root, when basePath is "/").
    const atBase = cfg.basePath !== "" && (url.pathname === cfg.basePath || url.pathname === cfg.basePath + "/");
    if (atBase && request.method === "GET") return listRoute(request, env, url);
    if (!url.pathname.startsWith(cfg.basePath + "/")) return null;
    const [provider, action, ...rest] = url.pathname.slice(cfg.basePath.length + 1).split("/");
    if (!ROUTES.has(action)) return null;
    const configured = cfg.providerNames(env).includes(provider);
    // What the error answer needs: the owner once known, the label once read,
    // and the flow cookie's deletion once the callback found the flow it answers.
    // A callback's label is the flow's alone: a provider's redirect carries none, so ?label= there is another site's.
    const seen = { owner: null, label: action === "callback" ? "" : url.searchParams.get("label") ?? "", clear: null };
    try {
      known(env, provider);
      // Unsafe methods only from our own pages (RFC 6454 Origin, Fetch Metadata).
      if (!["GET", "HEAD"].includes(request.method) && !sameOrigin(request, cfg.origin(env, url))) {
        throw new OAuthError("cross_site_request", "this request must come from the app's own origin");
      }
      // The API route answers the app's own requests only: never a navigation
      // or another site's (the answer is the provider's content, on our origin).
      if (action === "api" && !ownRequest(request, cfg.origin(env, url))) {
        throw new OAuthError("cross_site_request", "the API route answers the app's own requests only: no navigation, no other site");
      }
      // One owner's state, as the list: never answered to another site (review 37).
      if (action === "status" && !notCrossSite(request, cfg.origin(env, url))) {
        throw new OAuthError("cross_site_request", "the status answers the app's own pages only");
      }
      // A link or a navigation (GET, HEAD) never connects or disconnects.
      if ((action === "connect" || action === "disconnect") && request.method !== "POST") {
        throw new OAuthError("cross_site_request", `${action} is a POST from the app's own pages`);
      }
      const owner = (seen.owner = await authenticated(cfg, request, env));
      const label = seen.label;
      switch (action) {
        case "connect": return await connect(env, url, owner, provider, label);
        case "callback": return await callback(env, request, url, owner, provider, seen);
        case "status": return json(await connection(env, owner, provider, label).status());
        case "disconnect": {
          const done = await connection(env, owner, provider, label).disconnect();
          // A form's POST lands back on the app's page, not on JSON.
          return isNavigation(request) ? seeOther(cfg.returnTo(provider, label)) : json(done);
        }
        default: {
          const query = new URLSearchParams(url.search);
          query.delete("label");
          const search = query.size ? `?${query}` : "";
          const init = { method: request.method, headers: pick(request.headers, ["content-type", "accept"]), body: ["GET", "HEAD"].includes(request.method) ? undefined : await readBody(request) };
          return await connection(env, owner, provider, label).fetch(`/${rest.join("/")}${search}`, init);
        }
      }
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      return failed(error, { request, env, route: action, provider: configured ? provider : null, clear: seen.clear, owner: seen.owner, label: seen.label });
    }
  }

  /** A route's typed error: `onError`'s Response, else a redirect for a
   * signed-in browser's navigation, else JSON; logged with the status answered. */
  async function failed(error, context) {
    const { request, env, route, provider, owner } = context;
    const who = { route, method: request.method, provider, owner };
    const refused = [];
    const answer = await errorAnswer(error, context, refused);
    await cfg.log.refused(env, { ...who, code: error.code, status: answer.status });
    // An option whose answer was refused: the operator is told which.
    for (const option of refused) await cfg.log.refused(env, { ...who, code: "invalid_config", status: answer.status, option });
    return answer;
  }

  /** The error's answer; each option whose answer could not be used is pushed on `refused`. */
  async function errorAnswer(error, { request, env, route, provider, clear, owner, label }, refused) {
    if (cfg.onError) {
      try {
        const answer = await cfg.onError(error, request, env);
        if (answer instanceof Response) return withCookie(answer, clear);
      } catch {
        refused.push("onError");
      }
    }
    if (provider !== null && redirectsOnError(route, request, owner, error)) {
      try {
        return seeOther(errorLocation(cfg.returnTo(provider, label), provider, error.code), clear);
      } catch {
        // A returnTo function that gave no same-origin path: JSON.
        refused.push("returnTo");
      }
    }
    const status = error[REQUEST_TOO_LARGE] ? 413 : error.code === "rate_limited" && error.status ? error.status : ownInputTooLarge(error) ? 414
      : configRefusal(route, error.code)?.status ?? HTTP_STATUS[error.code] ?? 400;
    const headers = new Headers(JSON_HEADERS);
    if (clear) headers.append("set-cookie", clear);
    if (error.retryAfter != null) headers.set("retry-after", String(error.retryAfter));
    return new Response(JSON.stringify({ error: error.code, message: error.message, ...(error.retryAfter != null && { retryAfter: error.retryAfter }) }), { status, headers });
  }

  /** GET {base}: the signed-in owner's connections, no token, no provider text. */
  async function listRoute(request, env, url) {
    let owner = null;
    try {
      // Read by the app's pages (a navigation too), never another site's.
      if (!notCrossSite(request, cfg.origin(env, url))) throw new OAuthError("cross_site_request", "the list answers the app's own pages only");
      owner = await authenticated(cfg, request, env);
      const connections = await list(env, owner);
      return json({ connections });
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      return failed(error, { request, env, route: "list", provider: null, clear: null, owner, label: "" });
    }
  }

  /** The owner's connections (worker-owners.js): the route's and `connections.list`'s. */
  function list(env, owner) {
    connectionKey(owner, "", "");
    return listOwned(env[cfg.binding], owner, cfg.providerNames(env));
  }

  /** Ends every connection of `owner` (an account's deletion). */
  function disconnectAll(env, owner) {
    connectionKey(owner, "", "");
    return disconnectOwned(env[cfg.binding], owner);
  }

  async function connect(env, url, owner, provider, label) {
    const key = connectionKey(owner, provider, label);
    // The whole configuration before the user leaves for the provider: a
    // grant made there must be storable here (keys that parse and seal).
    await seal(env[cfg.keys], key, {});
    const client = new OAuthClient({ ...cfg.providerOptions(env, provider), redirectUri: redirectUri(env, url, provider), stateKey: stateKey(env) });
    try {
      const extras = cfg.providerExtras(env, provider);
      // Computed before anything is stored (a start does no I/O): its expiry is the core's.
      const started = client.startAuthorization({ scopes: extras.scopes, tokenKind: tokenKind(extras, url.searchParams.get("kind")), params: extras.params });
      const { url: authorize, pending, flowId, flowExpiresAt } = started;
      // The cookie lives as long as the flow (read before any await: workerd's clock moves only at I/O).
      const maxAge = Math.ceil((flowExpiresAt - Date.now()) / 1000);
      // A slot in the owner's list (labels come from the request) until the flow expires, and past
      // that for a callback of its last second: its exchange, the introspection that may follow
      // it (each up to timeoutMs), then its record (S1; review 73).
      const until = flowExpiresAt + 2 * client.timeoutMs + RECORD_SLACK_MS;
      await reserve(env[cfg.binding], owner, key, until, cfg.maxConnections);
      const stub = stubOf(env[cfg.binding], key);
      // The flow's mark is the core's flowId, until the core's flowExpiresAt (its stateMaxAge).
      unwrap(await stub.begin(key, { mark: flowId, expiresAt: flowExpiresAt }));
      const value = await sealCookie(stateKey(env), { o: await ownerMark(stateKey(env), owner), v: provider, l: label, p: pending, s: started.state });
      return new Response(null, {
        status: 303,
        headers: { location: authorize, "set-cookie": `${cookieName(provider)}=${value}; HttpOnly; Secure; SameSite=Lax; Path=/; Max-Age=${maxAge}` },
      });
    } finally {
      client.free();
    }
  }

  async function callback(env, request, url, owner, provider, seen) {
    const raws = readCookies(request.headers.get("cookie"), cookieName(provider)).filter(Boolean).slice(0, 8);
    if (raws.length === 0) throw new OAuthError("missing_pending", "no pending flow for this provider: start with a POST to connect");
    // This user's flows for this provider among the cookies (a planted one,
    // even another user's genuine one, is skipped), and of those the one whose
    // state this redirect carries (review 35, finding B: the user's own
    // cookie of another flow placed first no longer stands in front of it).
    // The core still checks the state; this only picks the pending value.
    const mark = await ownerMark(stateKey(env), owner);
    const states = url.searchParams.getAll("state");
    let flow = null, first, answered = null;
    for (const raw of raws) {
      const opened = await openCookie(stateKey(env), raw);
      if (first === undefined) first = opened;
      if (!opened || opened.v !== provider || !timingSafeEqual(opened.o, mark)) continue;
      flow ??= opened;
      if (states.length === 1 && timingSafeEqual(opened.s, states[0])) {
        answered = opened;
        break;
      }
    }
    if (!flow) {
      if (!first) throw new OAuthError("invalid_pending", "the pending flow's cookie does not verify");
      // Each provider has its own callback path (RFC 9700 §4.4, mix-up).
      if (first.v !== provider) throw new OAuthError("provider_mismatch", "this flow was started for another provider");
      throw new OAuthError("owner_mismatch", "the flow was started by another user");
    }
    // Only the redirect of the cookie's own flow spends it: a request with no
    // or another state (a forged <img>, a cross-site navigation, another
    // tab's flow) is refused and leaves the flow in progress alone (review 35,
    // finding A).
    if (answered) seen.clear = clearCookie(provider);
    flow = answered ?? flow;
    seen.label = flow.l;
    const key = connectionKey(owner, provider, flow.l);
    const stub = stubOf(env[cfg.binding], key);
    unwrap(await stub.complete(key, url.toString(), flow.p, redirectUri(env, url, provider)));
    return new Response(null, { status: 303, headers: { location: cfg.returnTo(provider, flow.l), "set-cookie": clearCookie(provider) } });
  }

  /** Unknown or unconfigured: the typed unknown_provider. */
  function known(env, provider) {
    if (!cfg.providerNames(env).includes(provider)) throw new OAuthError("unknown_provider", `no provider ${provider} is configured`);
  }

  function redirectUri(env, url, provider) {
    return `${cfg.origin(env, url)}${cfg.basePath}/${provider}/callback`;
  }

  function stateKey(env) {
    const key = env[cfg.stateKey];
    if (typeof key !== "string" || key.length < 32) throw new OAuthError("invalid_config", `${cfg.stateKey} must be a secret of at least 32 bytes`);
    return key;
  }

  /** The owner as hashed log records show it (changes when the STATE_KEY secret does). */
  const ownerHash = (env, owner) => cfg.log.ownerHash(env, owner);

  return { connection, handle, list, disconnectAll, ownerHash };
}


/** input_too_large about the request's own URL (a callback over the core's
 * limit): 414, not the 502 of a provider's answer over 1 MiB, which carries
 * the answer's status (review 36, finding A). */
const ownInputTooLarge = (error) => error.code === "input_too_large" && error.status === undefined;

/** The object's name: a JSON array, so no two (owner, provider, label) collide. */
export function connectionKey(owner, provider, label) {
  if (typeof owner !== "string" || owner.length === 0 || owner.length > 512) {
    throw new OAuthError("unauthenticated", "no owner for this connection");
  }
  // The one label check (every route, connect and connection() reach it): no control or
  // non-printable character (a "\n//evil" label would be stored, listed and given to returnTo).
  if (typeof label !== "string" || label.length > 128 || /[\p{C}\p{Zl}\p{Zp}]/u.test(label)) {
    throw new OAuthError("invalid_argument", "a label is a string of at most 128 printable characters");
  }
  return JSON.stringify([owner, provider, label]);
}

/** The kind a connect asks for: `?kind=` only when the entry's `tokenKinds`
 * (default: just its `tokenKind`) lists it; else the default kind, which with
 * `tokenKinds` is `tokenKind ?? tokenKinds[0]` (never the preset's default
 * outside the list). */
function tokenKind(extras, asked) {
  const fallback = checkKinds(extras);
  const allowed = extras.tokenKinds ?? (extras.tokenKind == null ? [] : [extras.tokenKind]);
  return asked !== null && allowed.includes(asked) ? asked : fallback;
}

/** An entry's default kind; invalid_config when `tokenKinds` is not a
 * non-empty list or does not list `tokenKind`. */
export function checkKinds(extras) {
  const { tokenKinds, tokenKind } = extras;
  if (tokenKinds === undefined) return tokenKind;
  if (!Array.isArray(tokenKinds) || tokenKinds.length === 0) throw new OAuthError("invalid_config", "tokenKinds is a non-empty list of token kinds");
  if (tokenKind != null && !tokenKinds.includes(tokenKind)) throw new OAuthError("invalid_config", "tokenKinds must list tokenKind");
  return tokenKind ?? tokenKinds[0];
}
