// The grant suite, runtime-neutral: every grant of the five providers (and
// the custom preset) against www/sandbox/, using only what Node, Deno, Bun,
// workerd and a browser page share (fetch, WebCrypto, atob/btoa). One small
// runner per runtime runs it, each on the packed tarball: Node in
// tests/consumers/node/; Deno and Bun run.mjs (runtimes.test.mjs); workerd
// (workerd.mjs) and Chromium (page.html) in tests/consumers/redirects/,
// through runners.mjs.
//
// A case is [title, run, { page }]: `page: true` cases hold no client secret
// and also run in the browser page; the others need a server. Each case gets
// a fresh context(): the package as the runtime resolved it, the sandbox's
// endpoints and clients (harness.mjs), assert.mjs, and `rejects`/`throws`,
// which also check that the typed error prints no secret the case has seen.

const b64u = {
  encode: (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""),
  decode: (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)),
};
const utf8 = (text) => new TextEncoder().encode(text);
const jsonPart = (part) => JSON.parse(new TextDecoder().decode(b64u.decode(part)));
const near = (ms, seconds) => Math.abs(ms - (Date.now() + seconds * 1000)) < 5000;

/**
 * The per-case context. `page`: the runner is a browser page (a client
 * secret must be refused there); `consent`: how the runner presses the
 * sandbox's Approve/Deny (default: by fetch, as a server can).
 */
export function context({ oauth, sandbox, a, page = false, consent = consentByFetch }) {
  const secrets = new Set(["dangerous-marker-secret-91f2"]);
  for (const { clients } of Object.values(sandbox.providers)) {
    for (const { clientSecret } of Object.values(clients)) if (clientSecret) secrets.add(clientSecret);
  }
  const forms = (s) => [s, encodeURIComponent(s), b64u.encode(utf8(s)).replace(/-/g, "+").replace(/_/g, "/"), b64u.encode(utf8(s))];
  const clean = (error) => {
    const printed = [error.message, error.providerMessage, error.bodyExcerpt, JSON.stringify(error), String(error), error.stack].join("\n");
    for (const secret of secrets) {
      for (const form of forms(secret)) a.ok(!printed.includes(form), `${error.code} prints ${secret.slice(0, 6)}…`);
    }
  };
  return {
    oauth, sandbox, a, page, consent,
    /** Adds values to the secrets no error may print. */
    remember: (...values) => values.forEach((v) => v && secrets.add(v)),
    rejects: async (promise, code, check) => clean(await a.rejectsWith(oauth.OAuthError, promise, code, check)),
    throws: (fn, code, check) => clean(a.throwsWith(oauth.OAuthError, fn, code, check)),
  };
}

/** An OAuthClient pointed at the sandbox for `provider` (`client: "none"`: no secret). */
function client(t, provider, { client: which = "main", ...extra } = {}) {
  const { endpoints, clients } = t.sandbox.providers[provider];
  const { clientId, clientSecret } = clients[which === "none" ? "main" : which];
  return new t.oauth.OAuthClient({
    provider, clientId, ...(which !== "none" && clientSecret && { clientSecret }),
    redirectUri: t.sandbox.redirectUri, endpoints, ...extra,
  });
}

/** Opens the authorize URL, presses Approve or Deny, returns the redirect. */
export async function consentByFetch(authorizeUrl, decision = "approve") {
  const html = await (await fetch(authorizeUrl)).text();
  const request = html.match(/name="request" value="([^"]+)"/)?.[1];
  const action = html.match(/action="([^"]+)"/)?.[1];
  if (!request) throw new Error(`no consent form: ${html.slice(0, 200)}`);
  const answer = await fetch(new URL(action, authorizeUrl), {
    method: "POST", redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ request, decision }),
  });
  const location = answer.headers.get("location");
  if (answer.status !== 302 || !location) throw new Error(`consent answered ${answer.status}, no redirect`);
  return location;
}

/** The PKCE verifier inside an unsealed pending value (`p2.` + base64url; 2-byte-length fields after an 8-byte time). */
function verifierOf(pending) {
  if (!/^p2\.[\w-]+$/.test(pending)) return null; // sealed (a stateKey): nothing to read
  const bytes = b64u.decode(pending.slice(3));
  for (let at = 8, field = 0; at + 2 <= bytes.length; field++) {
    const length = (bytes[at] << 8) | bytes[at + 1];
    at += 2;
    if (length === 0xffff) continue;
    if (field === 5) return new TextDecoder().decode(bytes.subarray(at, at + length)).match(/^[\w.~-]{43,128}$/)?.[0] ?? null;
    at += length;
  }
  return null;
}

/** start → consent → callback → exchange; every secret met is remembered. */
async function connect(t, c, start = {}) {
  const { url, pending } = c.startAuthorization(start);
  const callback = c.parseCallback(await t.consent(url), pending);
  t.remember(callback.code, verifierOf(pending));
  const token = await c.exchangeCode(callback, pending);
  t.remember(token.accessToken, token.refreshToken);
  return { token, callback, pending };
}

async function refresh(t, c, token) {
  const refreshed = await c.refresh(token);
  t.remember(refreshed.accessToken, refreshed.refreshToken);
  return refreshed;
}

const advanceClock = (t, seconds) => fetch(`${t.sandbox.url}/_sandbox/clock`, { method: "POST", body: JSON.stringify({ advance: seconds }) });

export const cases = [
  ["payfit: code → never-expiring token → introspection gives company_id → API", async (t) => {
    const { a } = t;
    const c = client(t, "payfit");
    const { token } = await connect(t, c, { scopes: ["contracts:read", "collaborators:read"] });
    a.equal(token.tokenType, "Bearer");
    a.equal(token.neverExpires, true);
    a.equal(token.expiresAt, null);
    a.equal(token.refreshToken, null);
    a.equal(c.isExpired(token), false);
    const info = await c.introspect(token);
    a.equal(info.active, true);
    a.deepEqual(info.scopes, ["contracts:read", "collaborators:read"]);
    a.match(info.companyId, /^co_/);
    a.equal((await (await c.fetchApi(token, `/companies/${info.companyId}`)).json()).id, info.companyId);
  }],

  ["payout: code + PKCE (callback says authorization_code) → refresh rotates → client credentials", async (t) => {
    const { a } = t;
    const c = client(t, "payout");
    const { url } = c.startAuthorization({ scopes: ["VERIFY"] });
    a.match(new URL(url).searchParams.get("code_challenge"), /^[A-Za-z0-9_-]{43}$/);
    const { token } = await connect(t, c, { scopes: ["VERIFY"] });
    a.ok(near(token.expiresAt, 3600), `expiresAt ${token.expiresAt} is not in an hour`);
    const refreshed = await refresh(t, c, token);
    a.notEqual(refreshed.accessToken, token.accessToken);
    a.notEqual(refreshed.refreshToken, token.refreshToken);
    const machine = await c.clientCredentials({ scopes: ["VERIFY"] });
    t.remember(machine.accessToken);
    a.ok(machine.accessToken);
    a.equal(machine.refreshToken, null);
    await t.rejects(c.refresh(token), "invalid_grant"); // rotated away
  }],

  ["payout: its merchant API token met at a token endpoint is invalid_response", async (t) => {
    t.remember("merchant-token-marker");
    const c = client(t, "payout", { fetch: async () => Response.json({ token: "merchant-token-marker", valid_for: 6000 }) });
    await t.rejects(c.clientCredentials(), "invalid_response");
  }],

  ["factorial: a company token never expires; a user token refreshes, is revoked, and the API then refuses it", async (t) => {
    const { a } = t;
    const c = client(t, "factorial");
    const { token: company } = await connect(t, c, { tokenKind: "company" });
    a.equal(company.neverExpires, true);
    a.equal(company.extra.scope, undefined); // scope is parsed, not extra
    a.equal(typeof company.extra.created_at, "number");
    const { token: user } = await connect(t, c, { tokenKind: "user" });
    a.ok(near(user.expiresAt, 7200), `expiresAt ${user.expiresAt} is not in two hours`);
    a.deepEqual(user.scopes, ["read", "write"]);
    const refreshed = await refresh(t, c, user);
    a.equal((await c.fetchApi(refreshed, "/api/v1/employees")).status, 200);
    await c.revoke(refreshed.accessToken, { hint: "access_token" });
    await t.rejects(c.fetchApi(refreshed, "/api/v1/employees"), "invalid_token", (e) => a.equal(e.status, 401));
  }],

  ["factorial: the guide's query-string token request, when asked for", async (t) => {
    const { token } = await connect(t, client(t, "factorial", { preset: { tokenBody: "query" } }), { tokenKind: "user" });
    t.a.ok(token.accessToken && token.refreshToken);
  }],

  ["tropipay: client credentials (expiry from the JWT's exp), code + PKCE, refresh, API", async (t) => {
    const { a } = t;
    const c = client(t, "tropipay");
    const machine = await c.clientCredentials({ scopes: ["ALLOW_GET_BALANCE"] });
    t.remember(machine.accessToken);
    a.equal(machine.expiresAt, jsonPart(machine.accessToken.split(".")[1]).exp * 1000);
    const { token } = await connect(t, c, { scopes: ["ALLOW_GET_PROFILE_DATA"] });
    const refreshed = await refresh(t, c, token);
    a.notEqual(refreshed.refreshToken, token.refreshToken);
    a.equal((await c.fetchApi(refreshed, "/api/v2/users/profile")).status, 200);
  }],

  ["billit: identifiers ride in the signed state; refresh; an expired token is token_expired until refreshed", async (t) => {
    const { a } = t;
    const c = client(t, "billit", { stateKey: "billit-state-key-of-at-least-32-bytes" });
    const { token, callback } = await connect(t, c, { payload: "user=42&company=7" });
    a.equal(callback.payload, "user=42&company=7");
    a.ok(near(token.expiresAt, 3600), `expiresAt ${token.expiresAt} is not in an hour`);
    a.equal((await c.fetchApi(token, "/v1/orders")).status, 200);
    await advanceClock(t, 3601);
    await t.rejects(c.fetchApi(token, "/v1/orders"), "token_expired", (e) => a.equal(e.providerCode, "AccessTokenExpired"));
    const refreshed = await refresh(t, c, token);
    a.equal((await c.fetchApi(refreshed, "/v1/orders")).status, 200);
  }],

  ["custom: HTTP Basic, code + PKCE, iss checked (RFC 9207), refresh, introspection (RFC 7662), revocation (RFC 7009), client credentials", async (t) => {
    const { a, sandbox } = t;
    const issuer = sandbox.providers.custom.issuer;
    const c = client(t, "custom", { preset: { issuer } });
    const { token, callback } = await connect(t, c, { scopes: ["openid", "profile"] });
    a.equal(callback.iss, issuer);
    a.deepEqual(token.scopes, ["openid", "profile"]);
    const info = await c.introspect(token);
    a.equal(info.active, true);
    a.equal(info.clientId, "custom-client");
    const refreshed = await refresh(t, c, token);
    await c.revoke(refreshed.accessToken, { hint: "access_token" });
    a.equal((await c.introspect(refreshed)).active, false);
    const machine = await c.clientCredentials();
    t.remember(machine.accessToken);
    a.equal((await c.fetchApi(machine, "/me")).status, 200);
  }],

  ["custom: a public client (no secret) runs code + PKCE and refreshes; client credentials is invalid_config", async (t) => {
    const { a } = t;
    const c = client(t, "custom", { client: "public", preset: { issuer: t.sandbox.providers.custom.issuer } });
    const { url } = c.startAuthorization();
    a.match(new URL(url).searchParams.get("code_challenge"), /^[A-Za-z0-9_-]{43}$/);
    const { token } = await connect(t, c, { scopes: ["profile"] });
    a.deepEqual(token.scopes, ["profile"]);
    a.ok(near(token.expiresAt, 600), `expiresAt ${token.expiresAt} is not in ten minutes`);
    const refreshed = await refresh(t, c, token);
    a.notEqual(refreshed.refreshToken, token.refreshToken);
    a.equal((await c.fetchApi(refreshed, "/me")).status, 200);
    await t.rejects(c.clientCredentials(), "invalid_config"); // no secret, no client credentials
  }, { page: true }],

  ["custom: an iss from another server is issuer_mismatch", async (t) => {
    const c = client(t, "custom", { client: "public", preset: { issuer: "https://other-issuer.example.com" } });
    const { url, pending } = c.startAuthorization();
    const back = await t.consent(url);
    t.remember(new URL(back).searchParams.get("code"));
    t.throws(() => c.parseCallback(back, pending), "issuer_mismatch");
  }, { page: true }],

  ["a client secret is refused in a browser page (secret_in_browser), and used from a server", async (t) => {
    const { a, oauth } = t;
    if (t.page) {
      t.throws(() => client(t, "payout"), "secret_in_browser");
      // The opt-in for tests of a page that must hold one.
      a.equal(client(t, "payout", { dangerouslyAllowSecretInBrowser: true }).provider, "payout");
      return;
    }
    const machine = await client(t, "payout").clientCredentials({ scopes: ["VERIFY"] });
    t.remember(machine.accessToken);
    a.ok(machine.accessToken);
    a.ok(oauth.errorCodes().includes("secret_in_browser"));
  }, { page: true }],

  ["denied consent is access_denied", async (t) => {
    const c = client(t, "billit", { client: "none" });
    const { url, pending } = c.startAuthorization();
    const back = await t.consent(url, "deny");
    t.throws(() => c.parseCallback(back, pending), "access_denied");
  }, { page: true }],

  ["a callback whose state was edited is state_mismatch, and its code is never sent", async (t) => {
    const c = client(t, "factorial", { client: "none" });
    const { url, pending } = c.startAuthorization();
    const back = new URL(await t.consent(url));
    t.remember(back.searchParams.get("code"));
    back.searchParams.set("state", back.searchParams.get("state").replace(/.$/, (ch) => (ch === "A" ? "B" : "A")));
    t.throws(() => c.parseCallback(back.href, pending), "state_mismatch");
  }, { page: true }],

  ["a reused code is invalid_grant (400): exchanges are never retried", async (t) => {
    const c = client(t, "billit");
    const { callback, pending } = await connect(t, c);
    await t.rejects(c.exchangeCode(callback, pending), "invalid_grant", (e) => t.a.equal(e.status, 400));
  }],

  ["a wrong client secret is invalid_client; a refresh by another client is invalid_grant", async (t) => {
    const { a } = t;
    await t.rejects(client(t, "payout", { clientSecret: "dangerous-marker-secret-91f2" }).clientCredentials(), "invalid_client",
      (e) => a.equal(e.providerCode, "invalid_client"));
    const { token } = await connect(t, client(t, "billit"));
    await t.rejects(client(t, "billit", { client: "other" }).refresh(token), "invalid_grant");
  }],

  ["the runtime's fetch: refused connection is network_error, silence is timeout, an HTML 502 is http_error", async (t) => {
    const { a } = t;
    // A public client's refresh: no secret, so this runs in a page too.
    const c = (extra) => client(t, "custom", { client: "public", ...extra });
    await t.rejects(c({ endpoints: { token: "http://127.0.0.1:9/token" } }).refresh("rt-marker"), "network_error");
    // A server that never answers; the timer stands in for its open socket,
    // which is what keeps a real process alive (Node's AbortSignal.timeout
    // does not).
    const silent = (_url, init) => new Promise((_, reject) => {
      const socket = setTimeout(() => {}, 10_000);
      init.signal.addEventListener("abort", () => { clearTimeout(socket); reject(new Error("aborted")); });
    });
    await t.rejects(c({ fetch: silent, timeoutMs: 50 }).refresh("rt-marker"), "timeout");
    const proxy = async () => new Response("<html>Bad Gateway</html>", { status: 502 });
    await t.rejects(c({ fetch: proxy }).refresh("rt-marker"), "http_error", (e) => {
      a.equal(e.status, 502);
      a.match(e.bodyExcerpt, /Bad Gateway/);
    });
  }, { page: true }],

  ["verifyAccessToken: a sandbox TropiPay JWT (RS256, JWKS URL) verifies; altered, or for another audience, it does not", async (t) => {
    const { a, oauth, sandbox } = t;
    const { accessToken: jwt } = await client(t, "tropipay").clientCredentials({ scopes: ["ALLOW_GET_BALANCE"] });
    t.remember(jwt);
    const { jwksUrl, issuer } = sandbox.providers.tropipay;
    const claims = await oauth.verifyAccessToken(jwt, { jwks: jwksUrl, issuer, audience: "tropipay-api", requiredScopes: ["ALLOW_GET_BALANCE"] });
    a.equal(claims.sub, "tropipay-client");
    a.equal(claims.scope, "ALLOW_GET_BALANCE");
    const [header, payload, signature] = jwt.split(".");
    const forged = b64u.encode(utf8(JSON.stringify({ ...jsonPart(payload), sub: "someone-else" })));
    await a.rejectsWith(oauth.OAuthError, oauth.verifyAccessToken(`${header}.${forged}.${signature}`, { jwks: jwksUrl }), "invalid_signature");
    await a.rejectsWith(oauth.OAuthError, oauth.verifyAccessToken(jwt, { jwks: jwksUrl, audience: "payout-api" }), "audience_mismatch");
  }],

  ["verifyAccessToken: an ES256 token signed here by WebCrypto verifies against its JWK Set; an unknown kid is key_not_found", async (t) => {
    const { a, oauth } = t;
    const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
    const { kty, crv, x, y } = await crypto.subtle.exportKey("jwk", keys.publicKey);
    const sign = async (kid, claims) => {
      const input = `${b64u.encode(utf8(JSON.stringify({ alg: "ES256", kid })))}.${b64u.encode(utf8(JSON.stringify(claims)))}`;
      const signature = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, keys.privateKey, utf8(input));
      return `${input}.${b64u.encode(new Uint8Array(signature))}`;
    };
    const jwks = { keys: [{ kty, crv, x, y, kid: "k1" }] };
    const exp = Math.floor(Date.now() / 1000) + 600;
    a.equal((await oauth.verifyAccessToken(await sign("k1", { sub: "m2m", exp }), { jwks })).sub, "m2m");
    await a.rejectsWith(oauth.OAuthError, oauth.verifyAccessToken(await sign("k2", { sub: "m2m", exp }), { jwks }), "key_not_found");
    await a.rejectsWith(oauth.OAuthError, oauth.verifyAccessToken(await sign("k1", { sub: "m2m", exp: exp - 3600 }), { jwks }), "token_expired");
  }, { page: true }],

  ["the suite covers every provider the package lists (a case named \"<provider>: …\"), and the sandbox emulates each", async (t) => {
    const { a, oauth, sandbox } = t;
    const listed = oauth.providers();
    a.ok(listed.length > 0, "providers() is empty");
    for (const { name, environments } of listed) {
      a.ok(cases.some(([title]) => title.startsWith(`${name}: `)), `no grant case for ${name}: add one named "${name}: …"`);
      a.ok(sandbox.providers[name]?.endpoints, `the harness gave no sandbox for ${name}`);
      a.ok(environments.length > 0, `${name} lists no environment`);
    }
  }, { page: true }],

  ["the entry needs no init call: PKCE (RFC 7636 vector) and the error codes", async (t) => {
    const { a, oauth } = t;
    a.equal(oauth.pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    a.match(oauth.newPkceVerifier(), /^[A-Za-z0-9_-]{43}$/);
    for (const code of ["access_denied", "state_mismatch", "invalid_grant", "invalid_client", "timeout", "key_not_found"]) {
      a.ok(oauth.errorCodes().includes(code), `errorCodes() lacks ${code}`);
    }
  }, { page: true }],
];

/** Whether a case runs in this runner: a page runs only the `page: true` ones. */
export const runsIn = ([, , { page } = {}], { page: inPage = false } = {}) => !inPage || page === true;
