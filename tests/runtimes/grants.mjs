// The grant table, runtime-neutral: every grant of the five providers (and
// the custom preset) against www/sandbox/, through the installed tarball,
// using only what Node, Deno and Bun share (fetch, WebCrypto, atob/btoa).
// run.mjs runs it in each runtime; runtimes.test.mjs starts the sandbox.
//
// Each case gets { oauth, sandbox, a }: the package as the runtime resolved
// it, the sandbox's endpoints and clients (from the harness), and assert.mjs.

const b64u = {
  encode: (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""),
  decode: (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)),
};
const utf8 = (text) => new TextEncoder().encode(text);
const jsonPart = (part) => JSON.parse(new TextDecoder().decode(b64u.decode(part)));
const near = (ms, seconds) => Math.abs(ms - (Date.now() + seconds * 1000)) < 5000;

/** An OAuthClient pointed at the sandbox for `provider`. */
function client({ oauth, sandbox }, provider, { client: which = "main", ...extra } = {}) {
  const { endpoints, clients } = sandbox.providers[provider];
  return new oauth.OAuthClient({ provider, ...clients[which], redirectUri: sandbox.redirectUri, endpoints, ...extra });
}

/** Opens the authorize URL, presses Approve or Deny, returns the redirect. */
async function consent(authorizeUrl, decision = "approve") {
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

/** start → consent → callback → exchange. */
async function connect(c, start = {}) {
  const { url, pending } = c.startAuthorization(start);
  const callback = c.parseCallback(await consent(url), pending);
  return { token: await c.exchangeCode(callback, pending), callback, pending };
}

export const cases = [
  ["payfit: code → never-expiring token → introspection gives company_id → API", async (t) => {
    const { a } = t;
    const c = client(t, "payfit");
    const { token } = await connect(c, { scopes: ["contracts:read", "collaborators:read"] });
    a.equal(token.tokenType, "Bearer");
    a.equal(token.neverExpires, true);
    a.equal(token.expiresAt, null);
    a.equal(token.refreshToken, null);
    const info = await c.introspect(token);
    a.equal(info.active, true);
    a.deepEqual(info.scopes, ["contracts:read", "collaborators:read"]);
    a.match(info.companyId, /^co_/);
    a.equal((await (await c.fetchApi(token, `/companies/${info.companyId}`)).json()).id, info.companyId);
  }],

  ["payout: code + PKCE (callback says authorization_code) → refresh rotates → client credentials", async (t) => {
    const { a, oauth } = t;
    const c = client(t, "payout");
    const { url } = c.startAuthorization({ scopes: ["VERIFY"] });
    a.match(new URL(url).searchParams.get("code_challenge"), /^[A-Za-z0-9_-]{43}$/);
    const { token } = await connect(c, { scopes: ["VERIFY"] });
    a.ok(near(token.expiresAt, 3600), `expiresAt ${token.expiresAt} is not in an hour`);
    const refreshed = await c.refresh(token);
    a.notEqual(refreshed.accessToken, token.accessToken);
    a.notEqual(refreshed.refreshToken, token.refreshToken);
    const machine = await c.clientCredentials({ scopes: ["VERIFY"] });
    a.ok(machine.accessToken);
    a.equal(machine.refreshToken, null);
    await a.rejectsWith(oauth.OAuthError, c.refresh(token), "invalid_grant"); // rotated away
  }],

  ["factorial: a company token never expires; a user token refreshes, is revoked, and the API then refuses it", async (t) => {
    const { a, oauth } = t;
    const c = client(t, "factorial");
    const { token: company } = await connect(c, { tokenKind: "company" });
    a.equal(company.neverExpires, true);
    const { token: user } = await connect(c, { tokenKind: "user" });
    a.ok(near(user.expiresAt, 7200), `expiresAt ${user.expiresAt} is not in two hours`);
    a.deepEqual(user.scopes, ["read", "write"]);
    const refreshed = await c.refresh(user);
    a.equal((await c.fetchApi(refreshed, "/api/v1/employees")).status, 200);
    await c.revoke(refreshed.accessToken, { hint: "access_token" });
    await a.rejectsWith(oauth.OAuthError, c.fetchApi(refreshed, "/api/v1/employees"), "invalid_token", (e) => a.equal(e.status, 401));
  }],

  ["tropipay: client credentials (expiry from the JWT's exp), code + PKCE, refresh, API", async (t) => {
    const { a } = t;
    const c = client(t, "tropipay");
    const machine = await c.clientCredentials({ scopes: ["ALLOW_GET_BALANCE"] });
    a.equal(machine.expiresAt, jsonPart(machine.accessToken.split(".")[1]).exp * 1000);
    const { token } = await connect(c, { scopes: ["ALLOW_GET_PROFILE_DATA"] });
    const refreshed = await c.refresh(token);
    a.notEqual(refreshed.refreshToken, token.refreshToken);
    a.equal((await c.fetchApi(refreshed, "/api/v2/users/profile")).status, 200);
  }],

  ["billit: identifiers ride in the signed state; refresh; an expired token is token_expired until refreshed", async (t) => {
    const { a, oauth, sandbox } = t;
    const c = client(t, "billit", { stateKey: "billit-state-key-of-at-least-32-bytes" });
    const { token, callback } = await connect(c, { payload: "user=42&company=7" });
    a.equal(callback.payload, "user=42&company=7");
    a.ok(near(token.expiresAt, 3600), `expiresAt ${token.expiresAt} is not in an hour`);
    a.equal((await c.fetchApi(token, "/v1/orders")).status, 200);
    await fetch(`${sandbox.url}/_sandbox/clock`, { method: "POST", body: JSON.stringify({ advance: 3601 }) });
    await a.rejectsWith(oauth.OAuthError, c.fetchApi(token, "/v1/orders"), "token_expired", (e) => a.equal(e.providerCode, "AccessTokenExpired"));
    const refreshed = await c.refresh(token);
    a.equal((await c.fetchApi(refreshed, "/v1/orders")).status, 200);
  }],

  ["custom: HTTP Basic, code + PKCE, iss checked, refresh, introspection, revocation, client credentials", async (t) => {
    const { a, sandbox } = t;
    const issuer = sandbox.providers.custom.issuer;
    const c = client(t, "custom", { preset: { issuer } });
    const { token, callback } = await connect(c, { scopes: ["openid", "profile"] });
    a.equal(callback.iss, issuer);
    a.deepEqual(token.scopes, ["openid", "profile"]);
    a.equal((await c.introspect(token)).clientId, "custom-client");
    const refreshed = await c.refresh(token);
    await c.revoke(refreshed.accessToken, { hint: "access_token" });
    a.equal((await c.introspect(refreshed)).active, false);
    a.equal((await c.fetchApi(await c.clientCredentials(), "/me")).status, 200);
  }],

  ["denied consent is access_denied", async (t) => {
    const { a, oauth } = t;
    const c = client(t, "billit");
    const { url, pending } = c.startAuthorization();
    const back = await consent(url, "deny");
    a.throwsWith(oauth.OAuthError, () => c.parseCallback(back, pending), "access_denied");
  }],

  ["a callback whose state was edited is state_mismatch, and its code is never sent", async (t) => {
    const { a, oauth } = t;
    const c = client(t, "factorial");
    const { url, pending } = c.startAuthorization();
    const back = new URL(await consent(url));
    back.searchParams.set("state", back.searchParams.get("state").replace(/.$/, (ch) => (ch === "A" ? "B" : "A")));
    a.throwsWith(oauth.OAuthError, () => c.parseCallback(back.href, pending), "state_mismatch");
  }],

  ["a reused code is invalid_grant (400): exchanges are never retried", async (t) => {
    const { a, oauth } = t;
    const c = client(t, "billit");
    const { token, callback, pending } = await connect(c);
    a.ok(token.accessToken);
    await a.rejectsWith(oauth.OAuthError, c.exchangeCode(callback, pending), "invalid_grant", (e) => a.equal(e.status, 400));
  }],

  ["a wrong client secret is invalid_client; a refresh by another client is invalid_grant", async (t) => {
    const { a, oauth } = t;
    await a.rejectsWith(oauth.OAuthError, client(t, "payout", { clientSecret: "wrong-secret" }).clientCredentials(), "invalid_client",
      (e) => a.equal(e.providerCode, "invalid_client"));
    const { token } = await connect(client(t, "billit"));
    await a.rejectsWith(oauth.OAuthError, client(t, "billit", { client: "other" }).refresh(token), "invalid_grant");
  }],

  ["the runtime's fetch: refused connection is network_error, silence is timeout, an HTML 502 is http_error", async (t) => {
    const { a, oauth } = t;
    await a.rejectsWith(oauth.OAuthError, client(t, "payout", { endpoints: { token: "http://127.0.0.1:9/token" } }).clientCredentials(), "network_error");
    // A server that never answers; the timer stands in for its open socket,
    // which is what keeps a real process alive (Node's AbortSignal.timeout
    // does not).
    const silent = (_url, init) => new Promise((_, reject) => {
      const socket = setTimeout(() => {}, 10_000);
      init.signal.addEventListener("abort", () => { clearTimeout(socket); reject(new Error("aborted")); });
    });
    await a.rejectsWith(oauth.OAuthError, client(t, "payout", { fetch: silent, timeoutMs: 50 }).clientCredentials(), "timeout");
    const proxy = async () => new Response("<html>Bad Gateway</html>", { status: 502 });
    await a.rejectsWith(oauth.OAuthError, client(t, "payout", { fetch: proxy }).clientCredentials(), "http_error", (e) => {
      a.equal(e.status, 502);
      a.match(e.bodyExcerpt, /Bad Gateway/);
    });
  }],

  ["verifyAccessToken: a sandbox TropiPay JWT (RS256, JWKS URL) verifies; altered, or for another audience, it does not", async (t) => {
    const { a, oauth, sandbox } = t;
    const { accessToken: jwt } = await client(t, "tropipay").clientCredentials({ scopes: ["ALLOW_GET_BALANCE"] });
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
  }],

  ["the table covers every provider the package lists (a case named \"<provider>: …\"), and the sandbox emulates each", async (t) => {
    const { a, oauth, sandbox } = t;
    const listed = oauth.providers();
    a.ok(listed.length > 0, "providers() is empty");
    for (const { name, environments } of listed) {
      a.ok(cases.some(([title]) => title.startsWith(`${name}: `)), `no grant case for ${name}: add one named "${name}: …"`);
      a.ok(sandbox.providers[name]?.endpoints, `the harness gave no sandbox for ${name}`);
      a.ok(environments.length > 0, `${name} lists no environment`);
    }
  }],

  ["the entry needs no init call: PKCE (RFC 7636 vector) and the error codes", async (t) => {
    const { a, oauth } = t;
    a.equal(oauth.pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    a.match(oauth.newPkceVerifier(), /^[A-Za-z0-9_-]{43}$/);
    for (const code of ["access_denied", "state_mismatch", "invalid_grant", "invalid_client", "timeout", "key_not_found"]) {
      a.ok(oauth.errorCodes().includes(code), `errorCodes() lacks ${code}`);
    }
  }],
];
