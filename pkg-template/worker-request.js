// What the routes (worker-routes.js) check of a request and how the API
// proxy shapes what passes: the owner (`authenticate`), where a request comes
// from (Fetch Metadata, Origin), the request body's cap, connection().fetch's
// init, and the provider's answer headers.
import { readCapped } from "./io.js";
import { OAuthError } from "__OAUTH_ERROR__";

/** An HTTP method (RFC 9110 §9.1: a token). */
const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** The largest request body the API route reads (I/O policy: an upload
 * bigger than this goes through connection().fetch from your own handler). */
const REQUEST_BODY_LIMIT = 1 << 20;
/** Marks the request-body error: 413, not the 502 of a provider's answer too large. */
export const REQUEST_TOO_LARGE = Symbol("request too large");
const PROXY_HEADERS = { "x-content-type-options": "nosniff", "content-security-policy": "sandbox; default-src 'none'", "cache-control": "private, no-store" };
/** A provider's caching headers, dropped from a proxied answer. */
const CACHE_HEADERS = ["cache-control", "etag", "last-modified", "expires", "age"];

export async function authenticated(cfg, request, env) {
  let owner;
  try {
    owner = await cfg.authenticate(request, env);
  } catch {
    // Never the thrown text: it may quote a session token.
    throw new OAuthError("invalid_config", "authenticate threw: the request is refused");
  }
  if (owner === null || owner === undefined || owner === "") throw new OAuthError("unauthenticated", "sign in first");
  if (typeof owner !== "string") throw new OAuthError("invalid_config", "authenticate must resolve to a string or null");
  return owner;
}

/** Not another site's request: Sec-Fetch-Site same-origin or none (typed), Origin ours when sent. */
export function notCrossSite(request, expected) {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") return false;
  const origin = request.headers.get("origin");
  return origin === null || origin === expected;
}

export function sameOrigin(request, expected) {
  const origin = request.headers.get("origin");
  if (origin !== null) return origin === expected;
  return request.headers.get("sec-fetch-site") === "same-origin";
}

/** Fetch Metadata and Origin where the browser sends them: not a navigation
 * (top-level or framed), not another site's request. A request with none of
 * them (not from a browser) passes. */
export function ownRequest(request, expected) {
  const mode = request.headers.get("sec-fetch-mode");
  if (mode === "navigate" || mode === "nested-navigate") return false;
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin") return false;
  const origin = request.headers.get("origin");
  return origin === null || origin === expected;
}

/** A provider's answer headers as we pass them: nosniff, a sandboxing CSP, and
 * an attachment unless it is JSON. */
export function proxied(passed) {
  const headers = new Headers(passed);
  // One owner's data under a URL the same for every owner: never cached,
  // whatever the provider says (review 37, finding B).
  for (const name of CACHE_HEADERS) headers.delete(name);
  for (const [name, value] of Object.entries(PROXY_HEADERS)) headers.set(name, value);
  const json = /^\s*application\/([\w.-]+\+)?json\s*(;|$)/i.test(headers.get("content-type") ?? "");
  if (!json && !/^\s*attachment\s*(;|$)/i.test(headers.get("content-disposition") ?? "")) headers.set("content-disposition", "attachment");
  return headers;
}

export const nullBody = (status) => status === 204 || status === 205 || status === 304;

/** The request's body, streamed, refused past REQUEST_BODY_LIMIT bytes
 * (before reading when Content-Length says so). */
export async function readBody(request) {
  const tooLarge = () => Object.assign(new OAuthError("input_too_large", "the request body is larger than 1 MiB"), { [REQUEST_TOO_LARGE]: true });
  if (Number(request.headers.get("content-length") ?? 0) > REQUEST_BODY_LIMIT) throw tooLarge();
  if (!request.body) return undefined;
  try {
    return await (await readCapped(request.body, REQUEST_BODY_LIMIT, tooLarge)).arrayBuffer();
  } catch (error) {
    if (error instanceof OAuthError) throw error;
    // The client ended before its Content-Length or last chunk: its own fault,
    // never the runtime's untyped error and stack (review 37, finding A).
    throw new OAuthError("invalid_argument", "the request body ended early or could not be read");
  }
}

/** connection().fetch's init as plain data, or invalid_argument (never the
 * runtime's TypeError, which may quote a header's value). */
export async function apiInit(init) {
  const given = init !== null && typeof init === "object" ? init : {};
  const method = given.method ?? "GET";
  if (typeof method !== "string" || !METHOD.test(method)) throw new OAuthError("invalid_argument", "init.method must be an HTTP method name");
  let headers;
  try {
    headers = Object.fromEntries(new Headers(given.headers ?? {}));
  } catch {
    throw new OAuthError("invalid_argument", "init.headers holds a header name or value that is not valid (CR, LF, NUL or non-Latin-1)");
  }
  const raw = given.body;
  if (raw == null) return { method, headers, body: undefined };
  if (["GET", "HEAD"].includes(method.toUpperCase())) throw new OAuthError("invalid_argument", `a ${method.toUpperCase()} request has no body`);
  if (typeof raw === "string") return { method, headers, body: raw };
  const bodyLike = raw instanceof ArrayBuffer || ArrayBuffer.isView(raw) || raw instanceof Blob || raw instanceof ReadableStream
    || raw instanceof URLSearchParams || raw instanceof FormData;
  if (!bodyLike) throw new OAuthError("invalid_argument", "init.body must be a string, bytes, a Blob, a stream, URLSearchParams or FormData");
  try {
    return { method, headers, body: await new Response(raw).arrayBuffer() };
  } catch {
    throw new OAuthError("invalid_argument", "init.body could not be read");
  }
}

export function pick(headers, names) {
  return Object.fromEntries(names.flatMap((name) => (headers.has(name) ? [[name, headers.get(name)]] : [])));
}
