// Start in the page, finish on the server: the whole handoff, for Billit.
//
// The page (index.html) starts the flow with `partner-oauth/page` and, back
// from Billit, parses the callback and POSTs { callbackUrl, pending } here.
// This server checks the callback again (the page is not to be trusted) and
// exchanges the code with the client secret, which never leaves it.
//
// A page holds no stateKey, so its pending value is NOT signed: anything in
// its payload is only as trustworthy as the page's storage. Who the user is
// comes from this server's own session, never from the payload. When the
// payload must be trusted, start the flow here instead (/server/start): the
// server's stateKey signs state and seals the pending value, which it keeps
// in an HttpOnly cookie.
//
//   node examples/page-to-server/server.mjs   (against the local sandbox)
import http from "node:http";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, normalize, extname } from "node:path";
import { fileURLToPath } from "node:url";
import { OAuthClient, OAuthError } from "partner-oauth";

const here = dirname(fileURLToPath(import.meta.url));

/** `billit`: { clientId, clientSecret, endpoints }; `stateKey`: ≥ 32 bytes. */
export function createApp({ billit, stateKey, origin }) {
  const redirectUri = `${origin}/oauth/callback`;
  const options = { provider: "billit", clientId: billit.clientId, redirectUri, endpoints: billit.endpoints };
  // Finishes flows the page started: no stateKey, as the page had none.
  const fromPage = new OAuthClient({ ...options, clientSecret: billit.clientSecret });
  // Starts and finishes its own flows: signed state, sealed pending value.
  const serverSide = new OAuthClient({ ...options, clientSecret: billit.clientSecret, redirectUri: `${origin}/server/callback`, stateKey });
  const sessions = new Map(); // sid → { user, token }
  const usedFlows = new Set(); // flowId: a callback finishes once

  function session(req, res) {
    const sid = /(?:^|;\s*)sid=([\w-]+)/.exec(req.headers.cookie ?? "")?.[1];
    if (sid && sessions.has(sid)) return sessions.get(sid);
    const fresh = randomBytes(16).toString("base64url");
    const record = { user: `customer-${sessions.size + 42}` };
    sessions.set(fresh, record);
    res.setHeader("set-cookie", `sid=${fresh}; HttpOnly; SameSite=Lax; Path=/`);
    return record;
  }

  async function finish(client, res, user, callbackUrl, pending) {
    const callback = client.parseCallback(callbackUrl, pending);
    if (usedFlows.has(callback.flowId)) throw new OAuthError("state_mismatch", "this callback was already used");
    usedFlows.add(callback.flowId);
    user.token = await client.exchangeCode(callback, pending);
    // Who connected: the session's user. The payload says only what the page put there.
    return json(res, 200, { connected: true, user: user.user, payload: callback.payload, payloadVerified: callback.payloadVerified });
  }

  return async (req, res) => {
    const url = new URL(req.url, origin);
    const user = session(req, res);
    try {
      if (req.method === "GET" && (url.pathname === "/" || url.pathname === "/oauth/callback")) {
        return res.writeHead(200, { "content-type": "text/html" }).end(await readFile(join(here, "index.html")));
      }
      if (req.method === "GET" && url.pathname.startsWith("/pkg/")) return servePackage(url.pathname.slice(5), res);
      if (req.method === "GET" && url.pathname === "/config.json") {
        return json(res, 200, { clientId: billit.clientId, redirectUri, endpoints: billit.endpoints });
      }
      if (req.method === "POST" && url.pathname === "/oauth/finish") {
        // Same origin only: a cross-site page must not finish flows for this user.
        if (req.headers.origin !== origin) return json(res, 403, { error: "cross-site" });
        const { callbackUrl, pending } = JSON.parse(await body(req));
        return await finish(fromPage, res, user, callbackUrl, pending);
      }
      if (req.method === "GET" && url.pathname === "/server/start") {
        const { url: authorize, pending } = serverSide.startAuthorization({ payload: `customer=${user.user}` });
        // In production: `__Host-pending=…; Secure; Path=/`, so a sibling host or
        // plain http cannot plant it (this example serves http on 127.0.0.1).
        res.setHeader("set-cookie", `pending=${pending}; HttpOnly; SameSite=Lax; Path=/server; Max-Age=600`);
        return res.writeHead(302, { location: authorize }).end();
      }
      if (req.method === "GET" && url.pathname === "/server/callback") {
        const pending = /(?:^|;\s*)pending=([^;]+)/.exec(req.headers.cookie ?? "")?.[1] ?? null;
        res.setHeader("set-cookie", "pending=; HttpOnly; SameSite=Lax; Path=/server; Max-Age=0");
        // The signed payload names the session that started the flow: a
        // pending cookie planted in another session (login CSRF) is refused.
        const callback = serverSide.parseCallback(url.href, pending);
        if (callback.payload !== `customer=${user.user}`) throw new OAuthError("state_mismatch", "this flow was started in another session");
        return await finish(serverSide, res, user, url.href, pending);
      }
      return json(res, 404, { error: "not found" });
    } catch (e) {
      return json(res, 400, { error: e.code ?? "bad_request", message: e.message });
    }
  };
}

const json = (res, status, value) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
const body = (req) => new Promise((resolve, reject) => {
  let text = "";
  req.on("data", (chunk) => { text += chunk; if (text.length > 65536) req.destroy(); }).on("end", () => resolve(text)).on("error", reject);
});

// The installed package's files, for the page's import map (a bundler does this in a real app).
const packageDir = dirname(createRequire(import.meta.url).resolve("partner-oauth/package.json"));
const TYPES = { ".js": "text/javascript", ".wasm": "application/wasm" };
async function servePackage(path, res) {
  const file = normalize(join(packageDir, path));
  if (!file.startsWith(packageDir)) return res.writeHead(404).end();
  try {
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(await readFile(file));
  } catch {
    res.writeHead(404).end();
  }
}

/** Serves the app on 127.0.0.1; `port` 0 picks one. */
export async function startApp({ port = 0, ...config } = {}) {
  let handler;
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise((r) => server.listen(port, "127.0.0.1", r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  handler = createApp({ ...config, origin });
  return { origin, close: () => new Promise((r) => server.close(r)) };
}

// `node examples/page-to-server/server.mjs`: the app on :8790 against a local sandbox.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { startSandbox, sandboxClients } = await import("partner-oauth/sandbox");
  const origin = "http://127.0.0.1:8790";
  const sandbox = await startSandbox({ redirectUris: [`${origin}/oauth/callback`, `${origin}/server/callback`] });
  const { clientId, clientSecret } = sandboxClients("billit").main;
  await startApp({ port: 8790, stateKey: randomBytes(32).toString("base64url"), billit: { clientId, clientSecret, endpoints: sandbox.endpoints("billit") } });
  console.log(`${origin}: connect Billit (sandbox at ${sandbox.url})`);
}
