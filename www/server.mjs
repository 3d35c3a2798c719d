// The demo: a page with a Connect button per provider, and this server, which
// holds the client secrets and runs every exchange (the page never sees a
// secret). With no .env, every provider points at the local sandbox; with
// credentials in .env (see .env.example), that provider uses its real
// endpoints.
//
//   node www/server.mjs [--port 8787]

import http from "node:http";
import crypto from "node:crypto";
import { readFile } from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import { OAuthClient, OAuthError, providers } from "../pkg/node.js";
import { startSandbox, sandboxClients } from "./sandbox/server.mjs";

// The package's presets, less `custom`: that one is a description you
// supply, not a partner, so the page has no card for it.
const PROVIDERS = providers().map(({ name }) => name).filter((name) => name !== "custom");
const PUBLIC = new URL("./public/", import.meta.url);
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".png": "image/png" };
const COOKIE = "demo_pending";

/** KEY=value lines; real credentials per provider, e.g. BILLIT_CLIENT_ID. */
function readEnv(path) {
  if (!existsSync(path)) return {};
  return Object.fromEntries(readFileSync(path, "utf8").split("\n")
    .map((line) => line.match(/^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/)).filter(Boolean).map((m) => [m[1], m[2]]));
}

export async function startDemo({ port = 8787, env = readEnv(new URL("../.env", import.meta.url)), stateMaxAge = 600 } = {}) {
  const connections = new Map();
  const stateKey = crypto.randomBytes(32).toString("base64url");
  let origin = "";
  let sandbox = null;

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, origin);
    try {
      if (req.method === "GET" && url.pathname === "/api/providers") return json(res, 200, providerInfo());
      if (req.method === "GET" && url.pathname === "/api/connections") return json(res, 200, [...connections.values()].map(view));
      const connect = url.pathname.match(/^\/connect\/([a-z]+)$/);
      if (req.method === "GET" && connect) return await start(res, connect[1], url.searchParams);
      if (req.method === "GET" && url.pathname === "/oauth/callback") return await finish(req, res, url);
      const action = url.pathname.match(/^\/api\/connections\/([^/]+)\/(refresh|introspect|disconnect)$/);
      if (req.method === "POST" && action) return await act(res, decodeURIComponent(action[1]), action[2]);
      return await serveFile(res, url.pathname);
    } catch (e) {
      const error = describe(e);
      if (url.pathname === "/oauth/callback" || url.pathname.startsWith("/connect/")) {
        return redirect(res, `/?${new URLSearchParams({ error: error.code, message: error.message })}`, clearCookie());
      }
      return json(res, 400, error);
    }
  });

  function clientFor(provider) {
    const prefix = provider.toUpperCase();
    const real = env[`${prefix}_CLIENT_ID`];
    const redirectUri = real ? env[`${prefix}_REDIRECT_URI`] ?? `${origin}/oauth/callback` : `${origin}/oauth/callback`;
    return new OAuthClient(real
      ? { provider, environment: env[`${prefix}_ENVIRONMENT`] || undefined, clientId: real, clientSecret: env[`${prefix}_CLIENT_SECRET`], redirectUri, stateKey, stateMaxAge }
      : { provider, ...sandboxClients(provider).main, redirectUri, stateKey, stateMaxAge, endpoints: sandbox.endpoints(provider) });
  }

  function providerInfo() {
    return PROVIDERS.map((provider) => ({ provider, real: Boolean(env[`${provider.toUpperCase()}_CLIENT_ID`]) }));
  }

  async function start(res, provider, params) {
    if (!PROVIDERS.includes(provider)) throw new OAuthError("unknown_provider", `no provider ${provider}`);
    const client = clientFor(provider);
    if (params.get("grant") === "client_credentials") {
      return store(res, provider, await client.clientCredentials(), "machine-to-machine");
    }
    const { url, pending } = client.startAuthorization({
      payload: params.get("id") || undefined,
      tokenKind: params.get("kind") || undefined,
      scopes: params.get("scopes") ? params.get("scopes").split(" ") : undefined,
    });
    // The cookie outlives the flow, so an old flow is named state_expired
    // by the library rather than silently missing.
    redirect(res, url, `${COOKIE}=${provider}.${pending}; HttpOnly; SameSite=Lax; Path=/; Max-Age=${stateMaxAge + 3600}`);
  }

  async function finish(req, res, url) {
    const cookie = (req.headers.cookie ?? "").split(";").map((c) => c.trim()).find((c) => c.startsWith(`${COOKIE}=`));
    if (!cookie) throw new OAuthError("invalid_pending", "no pending authorization: start with a Connect button");
    const value = cookie.slice(COOKIE.length + 1);
    const provider = value.slice(0, value.indexOf("."));
    const pending = value.slice(value.indexOf(".") + 1);
    const client = clientFor(provider);
    const callback = client.parseCallback(url.toString(), pending);
    const token = await client.exchangeCode(callback, pending);
    let label = callback.payload ?? "";
    if (provider === "payfit") {
      // PayFit: one token per company, named by introspection (which sets
      // token.companyId) and which also tells the granted scopes (the token
      // response does not).
      const info = await client.introspect(token);
      if (!token.scopes.length) token.scopes = info.scopes;
      label = token.companyId;
    }
    return store(res, provider, token, label);
  }

  function store(res, provider, token, label) {
    const id = `${provider}:${crypto.randomBytes(4).toString("hex")}`;
    connections.set(id, { id, provider, label, token });
    redirect(res, `/?connected=${encodeURIComponent(id)}`, clearCookie());
  }

  async function act(res, id, action) {
    const connection = connections.get(id);
    if (!connection) return json(res, 404, { code: "not_found", message: "no such connection" });
    const client = clientFor(connection.provider);
    if (action === "refresh") connection.token = await client.refresh(connection.token);
    if (action === "introspect") return json(res, 200, await client.introspect(connection.token));
    if (action === "disconnect") {
      // Revoke where the provider can (Factorial, custom); forget it anyway.
      await client.revoke(connection.token).catch((e) => { if (e.code !== "unsupported_grant") throw e; });
      connections.delete(id);
      return json(res, 200, { disconnected: id });
    }
    json(res, 200, view(connection));
  }

  /** What the page may see: never a token, only facts about it. */
  function view({ id, provider, label, token }) {
    return {
      id, provider, label,
      tokenType: token.tokenType, scopes: token.scopes, expiresAt: token.expiresAt, neverExpires: token.neverExpires,
      hasRefreshToken: Boolean(token.refreshToken), companyId: token.companyId,
      accessToken: mask(token.accessToken), refreshToken: token.refreshToken ? mask(token.refreshToken) : null,
    };
  }

  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  sandbox = await startSandbox({ redirectUris: [`${origin}/oauth/callback`] });
  return {
    url: origin, sandbox,
    /** Tests only: every token the server holds, to prove none reaches the page. */
    heldSecrets: () => [...connections.values()].flatMap(({ token }) => [token.accessToken, token.refreshToken].filter(Boolean)),
    close: async () => { server.closeAllConnections?.(); await new Promise((r) => server.close(r)); await sandbox.close(); },
  };
}

function mask(secret) {
  return `${secret.slice(0, 4)}…${"•".repeat(8)}`;
}

function describe(e) {
  if (e instanceof OAuthError) return { code: e.code, message: e.message };
  return { code: "server_error", message: "the demo server failed; see its console" };
}

async function serveFile(res, path) {
  const name = path === "/" ? "index.html" : path.slice(1);
  if (!/^[a-z0-9._-]+$/.test(name)) return json(res, 404, { code: "not_found" });
  try {
    const body = await readFile(new URL(name, PUBLIC));
    res.writeHead(200, { "Content-Type": TYPES[name.slice(name.lastIndexOf("."))] ?? "application/octet-stream" }).end(body);
  } catch {
    json(res, 404, { code: "not_found" });
  }
}

function json(res, status, body) {
  res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
}

function redirect(res, location, cookie) {
  res.writeHead(302, { Location: location, ...(cookie && { "Set-Cookie": cookie }) }).end();
}

function clearCookie() {
  return `${COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = process.argv.includes("--port") ? Number(process.argv[process.argv.indexOf("--port") + 1]) : 8787;
  const demo = await startDemo({ port });
  console.log(`\npartner-oauth demo: open ${demo.url}\n(provider sandbox on ${demo.sandbox.url}; Ctrl-C to stop)\n`);
}
