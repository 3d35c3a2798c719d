// A starter Worker: a user signs in, connects partner accounts, sees each
// connection's status, calls the partner's API through it, and disconnects.
// Each connection is a Durable Object of partner-oauth/worker that owns its
// tokens (encrypted at rest, refreshed ahead of expiry, never sent to the
// browser). Copy this folder and replace the sign-in stub with your session.
import { createConnections } from "partner-oauth/worker";
import { errorCodes } from "partner-oauth";

/** One read-only call per provider, to show the connection works. */
const API = {
  billit: () => "/v1/orders",
  factorial: () => "/api/v1/employees",
  tropipay: () => "/api/v2/users/profile",
  payfit: (status) => `/companies/${encodeURIComponent(status.companyId)}`,
};

/** What whoever runs the app can fix, for the codes that mean its setup is incomplete. */
const SETUP_HINTS = {
  vault_key_error: "TOKEN_KEYS is missing or malformed: fill it in .dev.vars as .dev.vars.example says and restart (in production: npx wrangler secret put TOKEN_KEYS)",
  invalid_config: "the Worker's configuration was refused: check STATE_KEY (at least 32 bytes) and PROVIDERS in .dev.vars as .dev.vars.example says, restart, and read the Worker's log",
};

const connections = createConnections({
  // Client options per provider, from the PROVIDERS secret (see .dev.vars.example).
  providers: (env) => JSON.parse(env.PROVIDERS),
  authenticate: (request) => signedInUser(request),
  // Pinned: callbacks and the same-origin checks never trust the Host header.
  origin: (env) => env.ORIGIN,
  // Where a browser lands after the module's routes (the default, made plain).
  returnTo: "/",
  onEvent: (event) => console.log(`connection ${event.provider} ${event.type} → ${event.state}`),
});

// wrangler.toml binds this class as the CONNECTIONS Durable Object.
export class Connection extends connections.Connection {}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    // The module's routes under /connections: connect, the callback, status,
    // disconnect, the API. A browser lands back on returnTo ("/", the default):
    // after a connect's callback and a disconnect form with nothing appended,
    // after a failure (a denied consent) with ?provider=&error=.
    const routed = await connections.handle(request, env);
    if (routed) return routed;

    if (request.method === "POST" && !sameOrigin(request, env)) return crossSite(request, env);
    if (request.method === "POST" && url.pathname === "/signin") {
      const form = await smallForm(request);
      if (typeof form !== "number") return signIn(form);
      return new Response(form === 413 ? "payload too large" : "bad request", { status: form, headers: { "content-type": "text/plain; charset=utf-8" } });
    }
    if (request.method === "POST" && url.pathname === "/signout") return redirect("/", `${USER}=; ${COOKIE}; Max-Age=0`);

    const user = signedInUser(request);
    if (!user) return html(`<h1>Worker app</h1><form method="post" action="/signin"><input name="user" placeholder="your name" required> <button>Sign in</button></form>`);

    const call = url.pathname.match(/^\/call\/([a-z]+)$/);
    if (request.method === "POST" && call) {
      const provider = call[1];
      if (!Object.hasOwn(API, provider) || !providerNames(env).includes(provider)) return html("<p>not found</p>", 404);
      const connection = connections.connection(env, user, provider);
      let response;
      try {
        response = await connection.fetch(API[provider](await connection.status()));
      } catch (e) {
        // A typed OAuthError: e.g. connection_exhausted (reconnect), connection_backoff (retry later).
        if (typeof e?.code !== "string") throw e;
        return html(`<p class="error">${escape(e.code)}: ${escape(e.message)}</p><a href="/">back</a>`, 409);
      }
      return html(`<h1>${escape(provider)}</h1><pre>${response.status} ${escape(await response.text())}</pre><a href="/">back</a>`, response.ok ? 200 : 502);
    }
    if (url.pathname === "/") return home(env, user, url.searchParams);
    return html("<p>not found</p>", 404);
  },
};

async function home(env, user, params) {
  const rows = await Promise.all(providerNames(env).map(async (provider) => {
    // Never connected: connection_not_found; anything else is a real fault.
    const status = await connections.connection(env, user, provider).status()
      .catch((e) => { if (e?.code === "connection_not_found") return null; throw e; });
    const state = escape(status?.state ?? "not connected");
    const live = status && status.state !== "disconnected";
    const name = escape(provider);
    const path = escape(encodeURIComponent(provider));
    return `<li data-provider="${name}"><b>${name}</b>: <span class="state">${state}</span>
      <form method="post" action="/connections/${path}/connect"><button>${live ? "Reconnect" : "Connect"}</button></form>
      ${live && Object.hasOwn(API, provider) ? `<form method="post" action="/call/${path}"><button>Call the API</button></form>` : ""}
      ${live ? `<form method="post" action="/connections/${path}/disconnect"><button>Disconnect</button></form>` : ""}</li>`;
  }));
  // The module puts a stable code only in the URL, never a message: the words are the app's.
  // Any site can link here with its own query, so only a listed code of a configured provider shows.
  const [code, failed] = [params.get("error"), params.get("provider")];
  const known = errorCodes().includes(code) && providerNames(env).includes(failed);
  const hint = known && Object.hasOwn(SETUP_HINTS, code) ? `: ${escape(SETUP_HINTS[code])}` : "";
  const error = known ? `<p class="error">${escape(code)} (${escape(failed)})${hint}</p>` : "";
  return html(`<h1>Worker app</h1><p>Signed in as ${escape(user)} <form method="post" action="/signout"><button>Sign out</button></form></p>${error}<ul>${rows.join("")}</ul>`);
}

// The sign-in stub: a cookie naming the user, which anyone can set to any
// name. Replace it with your own session before anything real uses it.
// __Host-: only this origin, over HTTPS (browsers count http://127.0.0.1 and
// localhost as secure), can set it, so a sibling subdomain cannot plant one.
const USER = "__Host-user";
const COOKIE = "Path=/; HttpOnly; Secure; SameSite=Lax";

/** A name as signIn writes it: trimmed, 1 to 64 characters (code points: a cut never splits an emoji). */
const MAX_NAME = 64;
const isName = (name) => name !== "" && name === name.trim() && [...name].length <= MAX_NAME;

/** Spaces and tabs off both ends, by index (a regex anchored at the end backtracks quadratically). */
function trimSpaces(text) {
  let start = 0, end = text.length;
  while (start < end && (text[start] === " " || text[start] === "\t")) start++;
  while (end > start && (text[end - 1] === " " || text[end - 1] === "\t")) end--;
  return text.slice(start, end);
}

function signedInUser(request) {
  const prefix = `${USER}=`;
  // Split on ";" only (browsers allow "," inside a value, where any cookie
  // writer could hide a "__Host-user=…"), and trim only spaces and tabs, as
  // browsers do: a name led by NBSP is another cookie, one without the
  // __Host- prefix's guarantees.
  const cookies = (request.headers.get("cookie") ?? "").split(";").map(trimSpaces).filter((c) => c.startsWith(prefix));
  // Two: one was planted (an old browser's nameless cookie reads the same); trust neither.
  if (cookies.length > 1) return null;
  const [cookie] = cookies;
  const raw = cookie ? cookie.slice(prefix.length) : "";
  let user;
  try {
    user = decodeURIComponent(raw);
  } catch {
    return null; // not percent-encoding we wrote: signed out
  }
  // Only as signIn encodes it: "mallory, __Host-user=alice" (two Cookie
  // lines workerd joined with ", ") is no name we wrote.
  if (encodeURIComponent(user) !== raw) return null;
  // Only what signIn writes: a longer owner would throw from the module's connection().
  return isName(user) ? user : null;
}

/** The sign-in form, read up to 4 KiB: formData() would hold any body the
 * platform lets in. A number is the status to answer instead: 413 past the
 * cap, 400 for a body cut short (the client left before its length). */
async function smallForm(request, limit = 4096) {
  const reader = request.body?.getReader();
  const chunks = [];
  for (let size = 0; reader; ) {
    let read;
    try {
      read = await reader.read();
    } catch {
      return 400;
    }
    if (read.done) break;
    size += read.value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return 413;
    }
    chunks.push(read.value);
  }
  return new URLSearchParams(await new Blob(chunks).text());
}

function signIn(form) {
  const user = [...String(form.get("user") ?? "").trim()].slice(0, MAX_NAME).join("").trim();
  if (!isName(user)) return redirect("/");
  return redirect("/", `${USER}=${encodeURIComponent(user)}; ${COOKIE}`);
}

/** The providers the PROVIDERS secret configures (see .dev.vars.example). */
function providerNames(env) {
  return Object.keys(JSON.parse(env.PROVIDERS));
}

/** Forms post from our own pages only (CSRF). */
function sameOrigin(request, env) {
  return request.headers.get("origin") === env.ORIGIN;
}

/** The 403 names both origins, so a misconfigured ORIGIN (localhost against 127.0.0.1) is plain to see. */
function crossSite(request, env) {
  const received = request.headers.get("origin");
  const text = `forbidden: a form must post from ${env.ORIGIN} (ORIGIN); this one came from ${received === null ? "no Origin header" : JSON.stringify(received.slice(0, 200))}`;
  return new Response(text, { status: 403, headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" } });
}

function redirect(location, cookie) {
  return new Response(null, { status: 303, headers: { location, "cache-control": "no-store", ...(cookie && { "set-cookie": cookie }) } });
}

/** Every page refuses to be framed (another site cannot overlay its buttons: clickjacking) and to be
 * stored (after sign-out, a shared browser's back button shows nothing). */
function html(body, status = 200) {
  const headers = {
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": "frame-ancestors 'none'",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
  };
  return new Response(`<!doctype html><meta charset="utf-8"><title>Worker app</title>${body}`, { status, headers });
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
