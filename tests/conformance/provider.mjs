// oidc-provider (a certified OpenID Provider nobody here wrote) on
// 127.0.0.1, configured by the test, with its dev login and consent pages
// driven by plain fetch calls.
import http from "node:http";
import Provider from "oidc-provider";

/** Odd (visible ASCII, its VSCHAR rule) characters on purpose: RFC 6749 §2.3.1 form-encodes them in Basic. */
export const SECRETS = {
  post: "post-secret: +/%&=~-7c1e9a04b6d2f8",
  basic: "basic-secret: +/%&=~-4a9b0c3d2e1f70",
  machine: "machine-secret-0b8e2d71c4f6a953",
};

/** Scopes the test requests; oidc-provider keeps unknown ones out. */
export const SCOPES = ["api:read", "api:write"];

function clients(redirectUris) {
  const code = { grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], redirect_uris: redirectUris, scope: SCOPES.join(" ") };
  const machine = { client_secret: SECRETS.machine, grant_types: ["client_credentials"], response_types: [], redirect_uris: [], scope: SCOPES.join(" ") };
  return [
    { ...code, client_id: "post-client", client_secret: SECRETS.post, token_endpoint_auth_method: "client_secret_post" },
    { ...code, client_id: "basic-client", client_secret: SECRETS.basic, token_endpoint_auth_method: "client_secret_basic" },
    { ...code, client_id: "public-client", token_endpoint_auth_method: "none" },
    // Codes live one second: the expired-code case.
    { ...code, client_id: "short-code-client", client_secret: SECRETS.post, token_endpoint_auth_method: "client_secret_post" },
    { ...machine, client_id: "machine-client", token_endpoint_auth_method: "client_secret_basic" },
    { ...machine, client_id: "machine-post-client", token_endpoint_auth_method: "client_secret_post" },
  ];
}

/**
 * Starts oidc-provider on a free port; `redirectUris` are registered for
 * every code-flow client. Resolves to its issuer, endpoints and helpers.
 */
export async function startProvider({ redirectUris }) {
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: clients(redirectUris),
    scopes: ["openid", "offline_access", ...SCOPES],
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
    },
    // Every code flow with PKCE S256; plain is not on offer.
    pkce: { required: () => true },
    // Refresh tokens without the OpenID `offline_access` dance, always rotated.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    rotateRefreshToken: true,
    // A page may call the token endpoint when it is a public client's origin.
    clientBasedCORS: (_ctx, origin, client) => client.clientAuthMethod === "none"
      && client.redirectUris.some((uri) => new URL(uri).origin === origin),
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: (_ctx, code) => (code.clientId === "short-code-client" ? 1 : 60),
      ClientCredentials: 600,
      Grant: 3600,
      IdToken: 3600,
      Interaction: 600,
      RefreshToken: 86400,
      Session: 3600,
    },
    cookies: { keys: ["conformance-cookie-key-not-a-secret"] },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
  });
  // Quiet: its dev-mode warnings are about production settings.
  provider.on("server_error", (_ctx, error) => console.error("oidc-provider server_error", error));
  server.on("request", provider.callback());

  return {
    issuer,
    provider,
    endpoints: {
      authorize: `${issuer}/auth`,
      token: `${issuer}/token`,
      introspect: `${issuer}/token/introspection`,
      revoke: `${issuer}/token/revocation`,
      api: issuer,
    },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

/**
 * Follows an authorize URL through login and consent as a user would, and
 * returns the URL the server finally redirects to (the app's callback).
 * `decision: "deny"` aborts at the login prompt instead.
 */
export async function consent(authorizeUrl, { decision = "approve", account = "user-1" } = {}) {
  const jar = new Map();
  const send = async (url, init = {}) => {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
    const response = await fetch(url, { ...init, redirect: "manual", headers: { ...init.headers, cookie } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair.indexOf("=");
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  };
  const post = (url, fields) => send(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });

  let url = authorizeUrl;
  for (let hop = 0; hop < 12; hop += 1) {
    const response = await send(url);
    const location = response.headers.get("location");
    if (!location) {
      const body = await response.text();
      throw new Error(`no redirect from ${new URL(url).pathname} (${response.status}): ${body.replace(/<style>[^]*<\/style>/, "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(0, 400)}`);
    }
    const next = new URL(location, url);
    if (!next.href.startsWith(new URL(authorizeUrl).origin)) return next.href; // back at the app
    if (/^\/interaction\/[^/]+$/.test(next.pathname)) {
      const page = await (await send(next.href)).text();
      const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
      if (decision === "deny") {
        url = new URL(`${next.pathname}/abort`, next).href;
        continue;
      }
      const submitted = prompt === "login"
        ? await post(next.href, { prompt: "login", login: account, password: "any" })
        : await post(next.href, { prompt: "consent" });
      url = new URL(submitted.headers.get("location"), next).href;
      continue;
    }
    url = next.href;
  }
  throw new Error("too many redirects");
}
