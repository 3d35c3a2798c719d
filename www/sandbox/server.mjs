// A local stand-in for the five providers, on 127.0.0.1, for tests and the
// demo. It behaves as providers.mjs says each one does, and rejects what a
// real provider would: wrong body encoding, bad secret, missing or wrong PKCE
// verifier, reused code, refresh with another client, unregistered redirect.
// Where no provider documents the detail, it does what oidc-provider (a
// certified server, tests/conformance/) does: every check before a code is
// spent; a replayed code or refresh token, or a revoked token, ends its
// whole grant; `iss` on every authorization response when it sends one.
//
// Shipped as `partner-oauth/sandbox` (startSandbox, sandboxClients) and the
// `partner-oauth-sandbox` command (cli.mjs), for users' own tests.
//
// Admin routes for tests: POST /_sandbox/clock {"advance": seconds,
// "freeze": true|false} (a frozen clock stands still until unfrozen, so a
// per-second rate limit is reached without racing the wall clock),
// GET /_sandbox/stats (per provider: grants, API calls, 429s as "rate_limited"),
// POST /_sandbox/reset, POST /_sandbox/consent
// {"decision": "approve"|"deny"|null} (answer every authorize request at
// once, as a user pressing that button would; null shows the page again),
// POST /_sandbox/mode {"apiErrorStatus": 200|null} (the HTTP status of API
// errors where the guide names none: Billit's `errors[]`; ours is 401, and
// 200 is the strictest reading, an error inside a success).
// Fault switches, per client id (tests of what uses the tokens):
//   POST /_sandbox/switch {"clientId", "expiresIn": s, "refuseRefresh": true,
//     "unavailable": {"on": "token"|"api", "status": 503|429, "retryAfter": s, "times": n},
//     "delayMs": ms (token endpoint), "companyId": every new grant's company
//     (PayFit), "rejectTokens": true (the API answers every token as
//     invalid, introspection still says active: a transient refusal)}, merged
//     into the client's switches; a provider's one-shot actions (providers.mjs
//     `actions`, e.g. PayFit's "uninstall": true or a company id, which
//     revokes that client's tokens at once) run at once;
//   {"clientId", "reset": true} clears them. GET /_sandbox/tokens lists every
//   access and refresh token issued (to scan storage for leaks).

import http from "node:http";
import crypto from "node:crypto";
import { providers } from "./providers.mjs";

const CODE_LIFETIME = 60;
const BODY_LIMIT = 1 << 20;

const b64url = (buf) => Buffer.from(buf).toString("base64url");
const random = (prefix) => `${prefix}_${crypto.randomBytes(18).toString("base64url")}`;

/**
 * Clients registered with every provider: `<provider>-client` and
 * `<provider>-other`; where the provider takes public clients, also
 * `<provider>-public` (no secret, PKCE required).
 */
export function sandboxClients(provider) {
  return {
    // Not starting with the provider's name: an error's text is scrubbed of
    // every run that starts like a secret, and would lose "tropipay" from a
    // host name (cold try 72).
    main: { clientId: `${provider}-client`, clientSecret: `secret-7f3a9c-${provider}` },
    other: { clientId: `${provider}-other`, clientSecret: `secret-51bd-${provider}-other` },
    ...(providers[provider]?.publicClients && { public: { clientId: `${provider}-public` } }),
  };
}

const isBoolean = (value) => value === true || value === false;
const isCount = (value) => Number.isSafeInteger(value) && value >= 0;

/** The switches' bodies, each checked (README's admin table). */
const SWITCHES = {
  clientId: (value) => typeof value === "string",
  reset: isBoolean,
  expiresIn: isCount,
  refuseRefresh: isBoolean,
  unavailable: (value) => value !== null && typeof value === "object" && (value.on === "token" || value.on === "api")
    && (value.status === undefined || isCount(value.status)) && (value.retryAfter == null || isCount(value.retryAfter)) && isCount(value.times),
  delayMs: isCount,
  companyId: (value) => typeof value === "string",
  rejectTokens: isBoolean,
  uninstall: (value) => value === true || typeof value === "string",
};

/** An admin route's JSON object whose every field `fields` names and
 * accepts; else a 400 (a body the sandbox cannot act on never passes as done). */
function adminBody(text, fields) {
  let body;
  try {
    body = JSON.parse(text || "{}");
  } catch {
    adminRefusal("the body is not JSON");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) adminRefusal("the body must be a JSON object");
  for (const [name, value] of Object.entries(body)) {
    if (!Object.hasOwn(fields, name)) adminRefusal(`unknown field "${name}"; this route takes ${Object.keys(fields).join(", ")}`);
    if (!fields[name](value)) adminRefusal(`${name} cannot be ${JSON.stringify(value)}`);
  }
  return body;
}

function adminRefusal(description) {
  throw { status: 400, body: { error: "invalid_request", error_description: description } };
}

/** startSandbox's options, checked: a test tool that guessed at a wrong one
 * would hide the mistake (a consent that denies, a log that throws later). */
function checkOptions(options) {
  if (options === null || typeof options !== "object") throw new TypeError("startSandbox takes an options object");
  const known = ["port", "redirectUris", "autoConsent", "log"];
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) throw new TypeError(`startSandbox: unknown option "${name}"; options are ${known.join(", ")}`);
  }
  const { port, redirectUris, autoConsent, log } = options;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new TypeError("startSandbox: port must be a whole number from 0 to 65535");
  if (redirectUris !== undefined && !(Array.isArray(redirectUris) && redirectUris.every((uri) => typeof uri === "string"))) {
    throw new TypeError("startSandbox: redirectUris must be a list of URLs (strings)");
  }
  if (![undefined, null, "approve", "deny"].includes(autoConsent)) throw new TypeError('startSandbox: autoConsent must be "approve", "deny" or null');
  if (log != null && typeof log !== "function") throw new TypeError("startSandbox: log must be a function (console.log, for one)");
  return options;
}

/** Registered for every client, besides the `redirectUris` given. */
export const DEFAULT_REDIRECT_URI = "https://app.example.com/oauth/callback";

/**
 * Starts the sandbox on 127.0.0.1 (`port` 0: any free one). `redirectUris`
 * are registered for every client; `autoConsent` ("approve" or "deny")
 * answers authorize requests at once instead of showing the consent page.
 * `log`, a function, gets one line per request answered: method, path
 * (never the query, which can hold a secret), status and the error given.
 */
export async function startSandbox(options = {}) {
  const { port = 0, redirectUris = [], autoConsent = null, log = null } = checkOptions(options);
  const state = freshState();
  state.autoConsent = autoConsent;
  const signingKey = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = "sandbox-1";
  const registered = new Set([DEFAULT_REDIRECT_URI, ...redirectUris]);
  let base = "";

  const now = () => state.frozenAt ?? Math.floor(Date.now() / 1000) + state.clockOffset;

  const server = http.createServer(async (req, res) => {
    if (log) {
      const path = (req.url ?? "").split("?")[0];
      res.on("finish", () => log(`${req.method} ${path} ${res.statusCode}${res.sandboxError ? ` ${res.sandboxError}` : ""}`));
    }
    try {
      const url = new URL(req.url, base);
      const body = await readBody(req);
      cors(res);
      if (req.method === "OPTIONS") return send(res, 204, null);
      if (url.pathname.startsWith("/_sandbox/")) return admin(url, req, body, res);
      const [, name, ...rest] = url.pathname.split("/");
      const provider = Object.hasOwn(providers, name) ? providers[name] : undefined;
      if (!provider) return send(res, 404, { error: "unknown provider", error_description: `no provider "${name}"; providers: ${Object.keys(providers).join(", ")}` });
      const path = "/" + rest.join("/");
      const ctx = { name, provider, req, res, url, body, path };
      if (req.method === "GET" && path === provider.paths.authorize) return authorize(ctx);
      if (req.method === "POST" && path === "/consent") return consent(ctx);
      if (req.method === "POST" && path === provider.paths.token) {
        await slowdown(switchFor(clientIdOf(req, url, body)));
        return token(ctx);
      }
      if (req.method === "POST" && path === provider.paths.introspect) return introspect(ctx);
      if (req.method === "POST" && path === provider.paths.revoke) return revoke(ctx);
      if (req.method === "GET" && path === "/.well-known/jwks.json" && provider.jwtAccessTokens) return send(res, 200, jwks());
      if (provider.api && provider.apiBase !== null && path.startsWith(provider.apiBase + "/")) return api(ctx);
      const routes = Object.values(provider.paths).map((p) => `/${name}${p}`);
      if (provider.apiBase !== null) routes.push(`/${name}${provider.apiBase}/…`);
      send(res, 404, { error: "not_found", error_description: `no ${req.method} /${name}${path}; ${name} answers ${routes.join(", ")}` });
    } catch (e) {
      for (const [name, value] of Object.entries(e.headers ?? {})) res.setHeader(name, value);
      send(res, e.status ?? 500, e.body ?? { error: "server_error" });
    }
  });

  function admin(url, req, body, res) {
    if (url.pathname === "/_sandbox/clock" && req.method === "POST") {
      const { advance = 0, freeze } = adminBody(body, { advance: Number.isFinite, freeze: isBoolean });
      state.clockOffset += Number(advance);
      if (state.frozenAt !== null) state.frozenAt += Number(advance);
      if (freeze === true) state.frozenAt ??= now();
      if (freeze === false) state.frozenAt = null;
      return send(res, 200, { now: now(), frozen: state.frozenAt !== null });
    }
    if (url.pathname === "/_sandbox/stats") return send(res, 200, state.stats);
    if (url.pathname === "/_sandbox/switch" && req.method === "POST") {
      const { clientId, reset, ...set } = adminBody(body, SWITCHES);
      const name = Object.keys(providers).find((p) => client(p, clientId));
      if (!name) adminRefusal(`no sandbox client "${clientId}"`);
      for (const action of Object.keys(set)) {
        if (action === "uninstall" && !Object.hasOwn(providers[name].actions ?? {}, action)) adminRefusal(`${name} has no ${action} switch`);
      }
      for (const [action, run] of Object.entries(providers[name]?.actions ?? {})) {
        if (!Object.hasOwn(set, action)) continue;
        run(set[action], { revokeWhere: (match) => revokeWhere((t) => t.name === name && t.clientId === clientId && match(t)) });
        delete set[action];
      }
      state.switches[clientId] = reset ? {} : { ...state.switches[clientId], ...set };
      return send(res, 200, state.switches[clientId]);
    }
    if (url.pathname === "/_sandbox/consent" && req.method === "POST") {
      const { decision = null } = adminBody(body, { decision: (d) => d === null || d === "approve" || d === "deny" });
      state.autoConsent = decision;
      return send(res, 200, { decision });
    }
    if (url.pathname === "/_sandbox/mode" && req.method === "POST") {
      Object.assign(state.mode, adminBody(body, { apiErrorStatus: (s) => s === null || s === 200 }));
      return send(res, 200, state.mode);
    }
    if (url.pathname === "/_sandbox/tokens") return send(res, 200, { access: [...state.access.keys()], refresh: [...state.refresh.keys()] });
    if (url.pathname === "/_sandbox/reset" && req.method === "POST") {
      Object.assign(state, freshState(), { autoConsent: state.autoConsent });
      return send(res, 200, {});
    }
    send(res, 404, {});
  }

  /** The switches set for a client id ({} when none). */
  function switchFor(clientId) {
    return (clientId && Object.hasOwn(state.switches, clientId) && state.switches[clientId]) || {};
  }

  /** A 503/429 with Retry-After while the switch has `times` left, for `on`. */
  function unavailable(clientId, on) {
    const fault = switchFor(clientId).unavailable;
    if (!fault || fault.on !== on || !(fault.times > 0)) return;
    fault.times--;
    throw { status: fault.status ?? 503, headers: fault.retryAfter != null ? { "Retry-After": String(fault.retryAfter) } : {}, body: { error: "temporarily_unavailable" } };
  }

  function client(name, clientId) {
    return Object.values(sandboxClients(name)).find((c) => c.clientId === clientId);
  }

  // GET authorize: check the request, then show the consent page.
  function authorize({ name, provider, res, url }) {
    // RFC 6749 §3.1: each parameter at most once; one sent empty is omitted.
    const twice = repeated(url.searchParams);
    if (twice) return page(res, 400, "Invalid OAuth2 request", `<p>${esc(twice)} appears more than once (RFC 6749 §3.1)</p>`);
    const q = present(url.searchParams);
    const unlisted = undocumented(provider, "authorize", q, stateTail(provider, url.searchParams));
    if (unlisted) return page(res, 400, "Invalid OAuth2 request", `<p>${esc(unlisted)} is not a parameter of ${esc(name)}'s authorize request (its guide lists ${esc(provider.params.authorize.join(", "))})</p>`);
    const known = client(name, q.client_id);
    // Billit: "if one or both are missing the request will result in an Invalid OAuth2 request".
    if (!known) {
      const ids = Object.values(sandboxClients(name)).map((c) => c.clientId);
      return page(res, 400, "Invalid OAuth2 request", `<p>client_id ${esc(q.client_id ?? "(none)")} is not registered with ${esc(name)}; registered: ${esc(ids.join(", "))}</p>`);
    }
    if (!q.redirect_uri) return page(res, 400, "Invalid OAuth2 request", "<p>no redirect_uri</p>");
    if (!registered.has(q.redirect_uri)) {
      return page(res, 400, "redirect_uri is not registered", `<p>redirect_uri ${esc(q.redirect_uri)} is not registered; registered: ${esc([...registered].join(", "))}</p>`);
    }
    if (provider.redirectQueryAllowed === false && new URL(q.redirect_uri).search) {
      return page(res, 400, "Own query parameters are not allowed in redirect_uri");
    }
    const back = (params) => redirect(res, q.redirect_uri, params);
    if (!provider.noResponseType && q.response_type !== "code") {
      return back({ error: "unsupported_response_type", state: q.state });
    }
    if (q.code_challenge && q.code_challenge_method !== "S256") {
      return back({ error: "invalid_request", error_description: "only S256 is supported", state: q.state });
    }
    // RFC 7636 §4.2: S256 is the base64url of 32 bytes.
    if (q.code_challenge && !/^[A-Za-z0-9_-]{43}$/.test(q.code_challenge)) {
      return back({ error: "invalid_request", error_description: "code_challenge must be 43 base64url characters (RFC 7636 §4.2)", state: q.state });
    }
    if (provider.pkce === "required" && !q.code_challenge) {
      return back({ error: "invalid_request", error_description: "code_challenge required", state: q.state });
    }
    if (provider.pkce === "none" && q.code_challenge) {
      return back({ error: "invalid_request", error_description: "PKCE is not supported", state: q.state });
    }
    const scopeRefusal = provider.scopes && refusedScope(provider, q.scope);
    if (scopeRefusal) return back({ error: "invalid_scope", error_description: scopeRefusal, state: q.state });
    const id = random("req");
    state.requests.set(id, {
      name, clientId: q.client_id, redirectUri: q.redirect_uri,
      state: provider.stateCutAt && q.state !== undefined ? q.state.split(provider.stateCutAt)[0] : q.state,
      challenge: q.code_challenge ?? null, scope: q.scope ?? "",
      kind: provider.tokenKind?.(q) ?? null,
    });
    if (state.autoConsent) return consent({ name, provider, res, body: new URLSearchParams({ request: id, decision: state.autoConsent }).toString() });
    const scopes = (q.scope ?? "").split(provider.scopeSeparator).filter(Boolean);
    page(res, 200, `${name} sandbox: grant access`, `
      <p><b>${esc(q.client_id)}</b> asks for access${scopes.length ? ` to <code>${scopes.map(esc).join("</code>, <code>")}</code>` : ""}.</p>
      ${state.requests.get(id).kind ? `<p>Token kind: <b>${esc(state.requests.get(id).kind)}</b></p>` : ""}
      <form method="post" action="/${name}/consent">
        <input type="hidden" name="request" value="${id}">
        <button id="approve" name="decision" value="approve">Approve</button>
        <button id="deny" name="decision" value="deny">Deny</button>
      </form>`);
  }

  // POST consent: redirect back with a code, or with error=access_denied.
  function consent({ name, provider, res, body }) {
    const form = Object.fromEntries(new URLSearchParams(body));
    const request = state.requests.get(form.request);
    if (!request || request.name !== name) return page(res, 400, "This consent request is unknown or used");
    state.requests.delete(form.request);
    // RFC 9207: iss on every authorization response, errors included.
    const iss = provider.issuer ? `${base}/${name}` : undefined;
    // RFC 6749 §4.1.2.1: an error response carries the request's state, unless the
    // provider's guide says its denial does not (the strict reading: the library must cope).
    if (form.decision !== "approve") {
      const state = provider.denialKeepsState === false ? undefined : request.state;
      return redirect(res, request.redirectUri, { error: "access_denied", state, iss });
    }
    const code = random("code");
    state.codes.set(code, { ...request, expiresAt: now() + CODE_LIFETIME, used: false, grant: random("grant") });
    redirect(res, request.redirectUri, { [provider.codeParam]: code, state: request.state, iss });
  }

  // POST token: encoding, client authentication, then the grant.
  function token({ name, provider, req, url, body, res }) {
    const params = tokenParams(provider, req, url, body);
    const unlisted = undocumented(provider, params.grant_type, params);
    if (unlisted) {
      throw oauthError(400, "invalid_request", `${unlisted} is not a parameter of ${name}'s ${params.grant_type} request (its guide lists ${provider.params[params.grant_type].join(", ")})`);
    }
    const known = authenticate(name, provider, req, params);
    unavailable(known.clientId, "token");
    if (params.grant_type === "refresh_token" && switchFor(known.clientId).refuseRefresh) {
      throw oauthError(400, "invalid_grant", "refresh refused (sandbox switch)");
    }
    if (!provider.grants.includes(params.grant_type)) {
      throw oauthError(400, "unsupported_grant_type", `grant_type ${params.grant_type ?? "(none)"}; ${name} takes ${provider.grants.join(", ")}`);
    }
    if (!known.clientSecret && params.grant_type === "client_credentials") throw oauthError(400, "unauthorized_client");
    bump(name, params.grant_type);
    if (params.grant_type === "authorization_code") return send(res, 200, codeGrant(name, provider, known, params));
    if (params.grant_type === "refresh_token") return send(res, 200, refreshGrant(name, provider, known, params));
    return send(res, 200, issue(name, provider, known.clientId, { grant: "client_credentials", scope: params.scope ?? "" }));
  }

  /**
   * The client: secret in the body, HTTP Basic where the provider takes it
   * (credentials form-encoded first, RFC 6749 §2.3.1), or a public client.
   */
  function authenticate(name, provider, req, params) {
    const basic = (req.headers.authorization ?? "").match(/^Basic (.+)$/)?.[1];
    if (basic && !provider.basicAuth) throw oauthError(401, "invalid_client", "HTTP Basic is not accepted here");
    let [id, secret] = [params.client_id, params.client_secret];
    if (basic) [id, secret] = Buffer.from(basic, "base64").toString().split(":").map((p) => decodeURIComponent(p.replace(/\+/g, " ")));
    // RFC 6749 §2.3: one authentication method a request; a client_id beside Basic names the same client.
    if (basic && params.client_secret !== undefined) throw oauthError(400, "invalid_request", "HTTP Basic and a client_secret in the body: one client authentication method a request (RFC 6749 §2.3)");
    if (basic && params.client_id !== undefined && params.client_id !== id) throw oauthError(400, "invalid_request", "the body's client_id is not the one HTTP Basic authenticates");
    const known = client(name, id);
    if (known && !known.clientSecret && secret === undefined) return known;
    if (!known?.clientSecret || !timingSafeEqual(secret ?? "", known.clientSecret)) {
      // Never the secret received: only whose it was meant to be.
      const ids = Object.values(sandboxClients(name)).map((c) => c.clientId);
      const error = oauthError(401, "invalid_client", known
        ? `client authentication failed for ${known.clientId}: ${secret === undefined ? "no client_secret" : "wrong client_secret"}`
        : `client_id ${id ?? "(none)"} is not registered with ${name}; registered: ${ids.join(", ")}`);
      // RFC 6749 §5.2: a client that sent Authorization gets the scheme back.
      if (basic) error.headers = { "WWW-Authenticate": 'Basic error="invalid_client"' };
      throw error;
    }
    return known;
  }

  // Every check first, then the code is spent: a wrong verifier leaves it
  // usable, as oidc-provider does.
  function codeGrant(name, provider, known, params) {
    const record = state.codes.get(params.code);
    if (!record || record.name !== name) throw oauthError(400, "invalid_grant", "unknown code");
    if (record.used) {
      // RFC 6749 §4.1.2: a reused code revokes what it issued, refreshed tokens too.
      revokeGrant(record.grant);
      throw oauthError(400, "invalid_grant", "code already used");
    }
    if (record.expiresAt < now()) throw oauthError(400, "invalid_grant", "code expired");
    if (record.clientId !== known.clientId) throw oauthError(400, "invalid_grant", `code issued to ${record.clientId}, not ${known.clientId}`);
    if (params.redirect_uri !== record.redirectUri) {
      throw oauthError(400, "invalid_grant", `redirect_uri ${params.redirect_uri ?? "(none)"} differs from the authorize request's ${record.redirectUri}`);
    }
    if (!known.clientSecret && !record.challenge) throw oauthError(400, "invalid_grant", "a public client must use PKCE");
    // RFC 9700 §2.1.1: a verifier for a code issued without a challenge is a downgrade.
    if (!record.challenge && params.code_verifier !== undefined) throw oauthError(400, "invalid_grant", "a code_verifier for a code issued without code_challenge (RFC 9700 §2.1.1)");
    if (params.code_verifier !== undefined && !/^[A-Za-z0-9._~-]{43,128}$/.test(params.code_verifier)) {
      throw oauthError(400, "invalid_request", "code_verifier must be 43 to 128 unreserved characters (RFC 7636 §4.1)");
    }
    if (record.challenge) {
      if (!params.code_verifier) throw oauthError(400, "invalid_grant", "code_verifier required");
      const computed = b64url(crypto.createHash("sha256").update(params.code_verifier).digest());
      if (computed !== record.challenge) throw oauthError(400, "invalid_grant", "code_verifier does not match");
    }
    record.used = true;
    return issue(name, provider, known.clientId, { grant: "authorization_code", scope: record.scope, kind: record.kind, family: record.grant });
  }

  function refreshGrant(name, provider, known, params) {
    const record = state.refresh.get(params.refresh_token ?? "");
    if (!record || record.name !== name || record.revoked) throw oauthError(400, "invalid_grant", "unknown or revoked refresh token");
    if (record.expiresAt !== null && record.expiresAt <= now()) throw oauthError(400, "invalid_grant", "refresh token expired");
    // Billit: "trying to refresh an access token using another client will fail".
    if (record.clientId !== known.clientId) throw oauthError(400, "invalid_grant", `refresh token issued to ${record.clientId}, not ${known.clientId}`);
    if (record.spent) {
      // Reuse of a rotated-away token (RFC 9700 §4.14.2): the grant is gone.
      revokeGrant(record.family);
      throw oauthError(400, "invalid_grant", "refresh token already used");
    }
    record.spent = true; // rotation
    return issue(name, provider, known.clientId, { grant: "refresh_token", scope: record.scope, kind: record.kind, companyId: record.companyId, family: record.family });
  }

  function issue(name, provider, clientId, { grant, scope, kind = null, companyId, family = random("grant") }) {
    const lifetime = switchFor(clientId).expiresIn ?? (provider.lifetimeFor ? provider.lifetimeFor(kind) : provider.accessLifetime);
    const subject = grant === "client_credentials" ? clientId : random("user");
    const company = provider.companyTokens ? companyId ?? switchFor(clientId).companyId ?? random("co") : undefined;
    const accessToken = provider.jwtAccessTokens
      ? jwt({ iss: `${base}/${name}`, sub: subject, aud: `${name}-api`, scope, iat: now(), exp: now() + lifetime })
      : random("at");
    if (provider.oneTokenPerCompany) {
      // One token per company and application: another app's stays.
      for (const other of state.access.values()) {
        if (other.name === name && other.clientId === clientId && other.companyId === company) other.revoked = true;
      }
    }
    state.access.set(accessToken, {
      name, clientId, scope, subject, companyId: company, family, issued: ++state.issued,
      expiresAt: lifetime ? now() + lifetime : null, revoked: false,
    });
    const refreshToken = provider.issuesRefresh(grant, kind) ? random("rt") : undefined;
    if (refreshToken) {
      const expiresAt = provider.refreshLifetime ? now() + provider.refreshLifetime : null;
      state.refresh.set(refreshToken, { name, clientId, scope, kind, companyId: company, family, expiresAt, revoked: false, spent: false });
    }
    return provider.tokenResponse({ accessToken, refreshToken, lifetime, scope, now: now() });
  }

  function introspect(ctx) {
    return ctx.provider.introspection === "rfc7662" ? introspectRfc7662(ctx) : introspectBearerJson(ctx);
  }

  // RFC 7662 §2: form `token`, client authentication.
  function introspectRfc7662({ name, provider, req, url, body, res }) {
    const params = tokenParams(provider, req, url, body);
    authenticate(name, provider, req, params);
    const record = state.access.get(params.token);
    const active = record && record.name === name && !record.revoked && (record.expiresAt === null || record.expiresAt > now());
    if (!active) return send(res, 200, { active: false });
    send(res, 200, { active: true, scope: record.scope, client_id: record.clientId, sub: record.subject, exp: record.expiresAt, token_type: "Bearer" });
  }

  // PayFit: Bearer header plus JSON {"token": …}.
  function introspectBearerJson({ name, provider, req, body, res }) {
    const bearer = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    if (mediaType(req) !== "application/json") throw oauthError(400, "invalid_request", "JSON body required");
    const caller = state.access.get(bearer);
    if (!caller || caller.name !== name || caller.revoked) throw oauthError(401, "invalid_token");
    let asked;
    try {
      asked = state.access.get(JSON.parse(body || "{}").token);
    } catch {
      throw oauthError(400, "invalid_request", "malformed JSON");
    }
    // Another client's token is not the caller's to look at.
    if (!asked || asked.revoked || asked.name !== name || asked.clientId !== caller.clientId) return send(res, 200, { active: false });
    send(res, 200, { active: true, scope: asked.scope.split(provider.scopeSeparator).join(" "), client_id: asked.clientId, company_id: asked.companyId, token_type: "bearer" });
  }

  // Factorial: POST /oauth/revoke with the client's credentials.
  function revoke({ name, provider, req, url, body, res }) {
    const params = tokenParams(provider, req, url, body);
    const known = authenticate(name, provider, req, params);
    bump(name, "revoke");
    revokeToken(params.token, name, known.clientId);
    send(res, 200, {});
  }

  // As oidc-provider does: revoking either token ends its grant (RFC 7009 §2.1
  // asks that for refresh tokens, allows it for access tokens). Only a token
  // issued to that client, at that provider (§2.1); another's is left alone,
  // with the same 200 an unknown token gets (§2.2).
  function revokeToken(value, name, clientId) {
    const record = state.access.get(value) ?? state.refresh.get(value);
    if (record && record.name === name && record.clientId === clientId) revokeGrant(record.family);
  }

  function revokeWhere(match) {
    for (const records of [state.access, state.refresh]) {
      for (const record of records.values()) if (match(record)) record.revoked = true;
    }
  }

  function revokeGrant(family) {
    for (const records of [state.access, state.refresh]) {
      for (const record of records.values()) if (record.family === family) record.revoked = true;
    }
  }

  function api({ name, provider, req, res, path }) {
    const bearer = (req.headers.authorization ?? "").match(/^Bearer (.+)$/)?.[1];
    const record = bearer && state.access.get(bearer);
    // A token is good only at the provider that issued it.
    const reason = !record || record.name !== name ? "invalid" : record.revoked ? "revoked" : record.expiresAt !== null && record.expiresAt <= now() ? "expired" : switchFor(record.clientId).rejectTokens ? "invalid" : null;
    if (reason) {
      if (provider.apiError) {
        const [status, answer] = provider.apiError(reason);
        // The log names the refusal in the sandbox's words, whatever the provider's body looks like (cold try 69).
        res.sandboxError = `invalid_token: the access token is ${reason}`;
        return send(res, state.mode.apiErrorStatus ?? status, answer);
      }
      // ours: RFC 6750 §3 for providers whose API errors are undocumented.
      res.setHeader("WWW-Authenticate", `Bearer error="invalid_token", error_description="the access token is ${reason}"`);
      return send(res, 401, { error: "invalid_token" });
    }
    const resource = path.slice(provider.apiBase.length);
    rateLimit(name, provider, record.clientId, req.method, resource);
    unavailable(record.clientId, "api");
    // Used: a call the sandbox served (not one it refused above).
    if (provider.revokesOlderOnUse) {
      for (const older of state.access.values()) if (older.family === record.family && older.issued < record.issued) older.revoked = true;
    }
    bump(record.name, "api");
    send(res, ...provider.api(record, resource, req.method));
  }

  /** The provider's per-client API budgets (providers.mjs `rateLimits`), in windows of the sandbox's clock. */
  function rateLimit(name, provider, clientId, method, resource) {
    for (const [index, limit] of (provider.rateLimits ?? []).entries()) {
      if (!limit.applies(method, resource)) continue;
      const window = Math.floor(now() / limit.per);
      const key = `${clientId} ${index}`;
      const used = state.rates.get(key)?.window === window ? state.rates.get(key).used : 0;
      if (used >= limit.max) {
        // Counted, so a test can assert a budget kept every call under the limit.
        bump(name, "rate_limited");
        const [status, body, headers] = provider.rateLimited({ max: limit.max, remaining: 0, retryAfter: (window + 1) * limit.per - now() });
        throw { status, body, headers };
      }
      state.rates.set(key, { window, used: used + 1 });
    }
  }

  function jwt(claims) {
    const header = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid }));
    const payload = b64url(JSON.stringify(claims));
    const signature = crypto.sign("sha256", Buffer.from(`${header}.${payload}`), signingKey.privateKey);
    return `${header}.${payload}.${b64url(signature)}`;
  }

  function jwks() {
    return { keys: [{ ...signingKey.publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" }] };
  }

  function bump(name, what) {
    state.stats[name] ??= {};
    state.stats[name][what] = (state.stats[name][what] ?? 0) + 1;
  }

  // A port in use rejects here (the server's 'error' event would otherwise
  // go unhandled and end the process).
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  base = `http://127.0.0.1:${server.address().port}`;

  return {
    url: base,
    /** Endpoint overrides that point a preset at this sandbox. */
    endpoints(name) {
      const p = providers[name];
      const at = (path) => (path ? `${base}/${name}${path}` : undefined);
      return {
        authorize: at(p.paths.authorize), token: at(p.paths.token),
        introspect: at(p.paths.introspect), revoke: at(p.paths.revoke),
        api: p.apiBase === null ? undefined : `${base}/${name}${p.apiBase}`,
      };
    },
    jwksUrl: (name) => `${base}/${name}/.well-known/jwks.json`,
    /**
     * Per provider: client options ready to paste into `new OAuthClient({
     * provider, ...config[provider], redirectUri })`: the main client's
     * credentials, this sandbox's endpoints (only those it serves), and the
     * `iss` it sends under `preset`. Public clients: `sandboxClients()`.
     */
    config() {
      return Object.fromEntries(Object.keys(providers).map((name) => {
        const { clientId, clientSecret } = sandboxClients(name).main;
        const endpoints = Object.fromEntries(Object.entries(this.endpoints(name)).filter(([, url]) => url !== undefined));
        return [name, {
          clientId, clientSecret, endpoints,
          ...(providers[name].issuer && { preset: { issuer: this.issuer(name) } }),
        }];
      }));
    },
    /** The `iss` the sandbox puts on callbacks, where it sends one. */
    issuer: (name) => `${base}/${name}`,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

function freshState() {
  return { requests: new Map(), codes: new Map(), access: new Map(), refresh: new Map(), rates: new Map(), stats: {}, clockOffset: 0, frozenAt: null, switches: {}, mode: {}, issued: 0 };
}

/** Token-endpoint parameters in the encoding the provider accepts, or 400. */
function tokenParams(provider, req, url, body) {
  const type = mediaType(req);
  let encoding = "none";
  let params = {};
  if (type === "application/json") {
    encoding = "json";
    try { params = JSON.parse(body); } catch { throw oauthError(400, "invalid_request", "malformed JSON"); }
    if (typeof params !== "object" || params === null || Array.isArray(params)) throw oauthError(400, "invalid_request", "JSON object expected");
    // JSON.parse keeps the last of a repeated name: count the names as written.
    const twice = repeated(topLevelNames(body).map((name) => [name]));
    if (twice) throw oauthError(400, "invalid_request", `${twice} appears more than once (RFC 6749 §3.2)`);
    const odd = Object.keys(params).find((name) => typeof params[name] !== "string");
    if (odd) throw oauthError(400, "invalid_request", `${odd} must be a string`);
    params = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== ""));
  } else if (type === "application/x-www-form-urlencoded" || (!body && url.searchParams.has("grant_type"))) {
    encoding = type === "application/x-www-form-urlencoded" ? "form" : "query";
    const pairs = new URLSearchParams(encoding === "form" ? body : url.search);
    const twice = repeated(pairs);
    if (twice) throw oauthError(400, "invalid_request", `${twice} appears more than once (RFC 6749 §3.2)`);
    params = present(pairs);
  }
  if (!provider.encodings.includes(encoding)) {
    throw oauthError(400, "invalid_request", `the body must be ${provider.encodings.join(" or ")}, not ${encoding}`);
  }
  // A secret in a URL ends up in logs: only where the guide itself puts it there (Factorial's query).
  if (encoding !== "query" && url.searchParams.get("client_secret")) {
    throw oauthError(400, "invalid_request", "client_secret in the URL: send it in the body");
  }
  return params;
}

/** The names of a JSON object's own members, in the order written (the text already parsed as an object). */
function topLevelNames(text) {
  const names = [];
  let depth = 0;
  let expectName = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      if (depth === 1 && expectName) names.push(JSON.parse(text.slice(i, end + 1)));
      expectName = false;
      i = end;
    } else if (c === "{" || c === "[") {
      depth++;
      expectName = c === "{" && depth === 1;
    } else if (c === "}" || c === "]") {
      depth--;
    } else if (c === "," && depth === 1) {
      expectName = true;
    }
  }
  return names;
}

/** The request's media type, lowercase, without its parameters ("" when none). */
function mediaType(req) {
  return (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
}

/** The first name `pairs` holds twice with a value, if any (one sent empty is omitted). */
function repeated(pairs) {
  const seen = new Set();
  for (const [name, value] of pairs) {
    if (value === "") continue;
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

/** `pairs` as an object, without the empty ones (RFC 6749 §3.1: sent without a value is omitted). */
function present(pairs) {
  return Object.fromEntries([...pairs].filter(([, value]) => value !== ""));
}

/** The first parameter of `params` the provider's guide does not list for `request`, if it lists them
 * (`ignored`: names it drops unread). */
function undocumented(provider, request, params, ignored = new Set()) {
  const listed = provider.params && Object.hasOwn(provider.params, request) ? provider.params[request] : undefined;
  return listed && Object.keys(params).find((name) => !listed.includes(name) && !ignored.has(name));
}

/** Where a state is cut at a raw `&` (Billit): the unlisted names after `state`
 * are what followed that `&` in the caller's state, dropped, not refused. */
function stateTail(provider, pairs) {
  const tail = new Set();
  if (!provider.stateCutAt) return tail;
  let after = false;
  for (const [name] of pairs) {
    if (after && !provider.params?.authorize?.includes(name)) tail.add(name);
    if (name === "state") after = true;
  }
  return tail;
}

/** Why `scope` is refused by a provider with a scope list, if it is. */
function refusedScope(provider, scope) {
  if (scope === undefined) return `a scope is required: ${provider.scopes.join(", ")}`;
  const unknown = scope.split(provider.scopeSplit ?? provider.scopeSeparator).find((item) => !provider.scopes.includes(item));
  return unknown === undefined ? undefined : `unknown scope "${unknown}" (scopes are joined by "${provider.scopeSeparator}"): ${provider.scopes.join(", ")}`;
}

/** The client id a token request names (body, query or Basic), best effort. */
function clientIdOf(req, url, body) {
  const basic = (req.headers.authorization ?? "").match(/^Basic (.+)$/)?.[1];
  if (basic) return decodeURIComponent(Buffer.from(basic, "base64").toString().split(":")[0]);
  try {
    if (/json/.test(req.headers["content-type"] ?? "")) return JSON.parse(body).client_id;
  } catch {
    return undefined;
  }
  return new URLSearchParams(body).get("client_id") ?? url.searchParams.get("client_id") ?? undefined;
}

function slowdown({ delayMs }) {
  return delayMs > 0 ? new Promise((resolve) => setTimeout(resolve, delayMs)) : undefined;
}

function oauthError(status, error, description) {
  return { status, body: { error, ...(description && { error_description: description }) } };
}

function timingSafeEqual(a, b) {
  const x = Buffer.from(String(a)), y = Buffer.from(String(b));
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on("data", (c) => {
      size += c.length;
      if (size > BODY_LIMIT) { reject({ status: 413, body: { error: "too_large" } }); req.destroy(); }
      else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function cors(res) {
  res.setHeader("Access-Control-Allow-Origin", "*");
  res.setHeader("Access-Control-Allow-Headers", "authorization, content-type, accept");
  res.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
}

function send(res, status, body) {
  if (body?.error) res.sandboxError = [body.error, body.error_description].filter(Boolean).join(": ");
  if (body === null) return res.writeHead(status).end();
  res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
}

function redirect(res, target, params) {
  const url = new URL(target);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.append(k, v);
  res.writeHead(302, { Location: url.toString() }).end();
}

function page(res, status, title, content = "") {
  // The log line: the page's text without its markup.
  if (status >= 400) res.sandboxError = `${title}${content ? `: ${content.replace(/<[^>]+>/g, "").replace(/&#(\d+);/g, (_, n) => String.fromCharCode(n)).trim()}` : ""}`;
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8" }).end(
    `<!doctype html><meta charset="utf-8"><title>${esc(title)}</title>` +
    `<style>body{font:16px system-ui;max-width:32rem;margin:4rem auto}button{font-size:1rem;margin-right:.5rem;padding:.4rem 1rem}</style>` +
    `<h1>${esc(title)}</h1>${content}`);
}

function esc(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// Run as a script: the CLI. Not awaited: a top-level await would make the
// module one `require` cannot load (ERR_REQUIRE_ASYNC_MODULE).
if (import.meta.url === `file://${process.argv[1]}`) import("./cli.mjs");
