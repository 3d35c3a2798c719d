// A Cloudflare Worker that connects users to the five providers:
//   GET /connect/:provider?id=…   starts a flow (id travels in state;
//                                 Factorial: &kind=user for a user token)
//   GET /oauth/callback           finishes it and stores the token
//   GET /api/:provider/:id/…      calls the provider's API through the vault
//   GET /verify                   checks a TropiPay JWT (Bearer) locally
// The pending value travels in a sealed, HttpOnly, Secure, SameSite=Lax cookie.
import { OAuthError, verifyAccessToken } from "partner-oauth";
import { clientFor } from "./config.mjs";
export { TokenVault } from "./vault.mjs";

const COOKIE = "__Host-oauth_pending";

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    try {
      const connect = url.pathname.match(/^\/connect\/([a-z]+)$/);
      if (connect) return start(env, connect[1], url);
      if (url.pathname === "/oauth/callback") return await finish(env, request, url);
      if (url.pathname === "/verify") return await verify(env, request);
      const api = url.pathname.match(/^\/api\/([a-z]+)\/([^/]+)(\/.*)$/);
      if (api) return await callApi(env, api[1], decodeURIComponent(api[2]), api[3]);
      const test = url.pathname.match(/^\/_test\/(connection|expire)\/([a-z]+)\/([^/]+)$/);
      if (test && env.TEST_ROUTES === "1") return await testRoute(env, ...test.slice(1));
      return new Response("not found", { status: 404 });
    } catch (e) {
      if (e instanceof OAuthError) return problem(400, e.code, e.message);
      throw e;
    }
  },
};

function start(env, provider, url) {
  const client = clientFor(env, provider);
  const id = url.searchParams.get("id") ?? undefined;
  const tokenKind = url.searchParams.get("kind") ?? undefined;
  const { url: authorize, pending } = client.startAuthorization({ payload: id, tokenKind });
  return new Response(null, {
    status: 302,
    headers: { Location: authorize, "Set-Cookie": cookie(`${provider}.${pending}`, 600) },
  });
}

async function finish(env, request, url) {
  const value = readCookie(request.headers.get("Cookie"), COOKIE);
  if (!value) return problem(400, "missing_pending", "no pending authorization: start at /connect/:provider");
  const dot = value.indexOf(".");
  const provider = value.slice(0, dot);
  const pending = value.slice(dot + 1);
  const client = clientFor(env, provider);
  // Checks the seal, the state, the provider and the flow's age.
  const callback = client.parseCallback(url.toString(), pending);
  const flows = env.VAULT.get(env.VAULT.idFromName("flows"));
  if (!(await flows.consume(callback.flowId, callback.flowExpiresAt))) {
    return problem(400, "replayed_callback", "this callback was already used");
  }
  const token = await client.exchangeCode(callback, pending);
  let id = callback.payload;
  if (!id && provider === "payfit") {
    // PayFit: one token per company; introspection names it.
    const info = await client.introspect(token);
    token.companyId = info.companyId;
    id = info.companyId;
  }
  if (!id) return problem(400, "missing_identifier", "start the flow with ?id= to name the connection");
  await vault(env, provider, id).store(provider, token);
  return new Response(null, {
    status: 302,
    headers: { Location: `/connected/${provider}/${encodeURIComponent(id)}`, "Set-Cookie": cookie("", 0) },
  });
}

// An API of the integrator's that receives TropiPay JWTs from its own front
// end: verified locally against the issuer's JWKS (cached across requests).
async function verify(env, request) {
  const token = (request.headers.get("Authorization") ?? "").replace(/^Bearer /, "");
  try {
    const claims = await verifyAccessToken(token, { jwks: env.JWKS_URL, issuer: env.JWT_ISSUER, audience: "tropipay-api" });
    return Response.json({ sub: claims.sub, scope: claims.scope });
  } catch (e) {
    if (e instanceof OAuthError) return problem(401, e.code, e.message);
    throw e;
  }
}

async function callApi(env, provider, id, path) {
  const { status, body } = await vault(env, provider, id).fetchApi(path);
  return new Response(body, { status, headers: { "Content-Type": "application/json" } });
}

async function testRoute(env, action, provider, id) {
  const stub = vault(env, provider, decodeURIComponent(id));
  if (action === "expire") await stub.expireForTest();
  const connection = await stub.connection();
  return Response.json(connection ? { refreshToken: connection.token.refreshToken, companyId: connection.token.companyId } : null);
}

const vault = (env, provider, id) => env.VAULT.get(env.VAULT.idFromName(`${provider}:${id}`));

function cookie(value, maxAge) {
  return `${COOKIE}=${value}; HttpOnly; Secure; SameSite=Lax; Path=/; Max-Age=${maxAge}`;
}

function readCookie(header, name) {
  for (const part of (header ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return null;
}

function problem(status, code, message) {
  return Response.json({ error: code, message }, { status });
}
