// Browser navigations of partner-oauth/worker: a page the user navigates to
// (a form's POST, the provider's redirect back) gets a redirect to the app's
// own page, never JSON. Redirect targets come only from configuration, and
// the error rides in the URL as its stable code only: no message, no
// provider text (the page is the app's, and the code is all it needs).
import { OAuthError } from "__OAUTH_ERROR__";

/** The routes a browser navigates to; the others answer JSON to code. */
const NAVIGATED = new Set(["connect", "callback", "disconnect"]);

/** A same-origin path: "/" then not "/" or "\" (a scheme-relative URL to
 * another host), printable ASCII only (browsers drop tabs and newlines, so
 * "/\t/evil" would be "//evil"), no "\" (read as "/"), no fragment. */
export function checkTarget(value, what = "returnTo") {
  if (typeof value !== "string" || !/^\/(?![/\\])[\x21-\x7e]*$/.test(value) || /[\\#]/.test(value)) {
    throw new OAuthError("invalid_config", `${what} must be a same-origin path: "/" then not "/" or "\\", printable ASCII, no "\\" or "#"`);
  }
  return value;
}

/** `returnTo` (a path, or (provider, label) => a path) as a function whose
 * answer is checked each time (a label is chosen by the request). */
export function returnToOption(option = "/") {
  if (typeof option === "function") return (provider, label) => checkTarget(option(provider, label));
  const path = checkTarget(option);
  return () => path;
}

/** A top-level page load: `Sec-Fetch-Mode: navigate`, or (a browser that
 * sends no Fetch Metadata) `text/html` first in Accept. No Accept, or
 * `*\/*`, is code: JSON as before. */
export function isNavigation(request) {
  const headers = request.headers;
  const mode = headers.get("sec-fetch-mode");
  if (mode !== null) return mode === "navigate";
  if (["sec-fetch-site", "sec-fetch-dest", "sec-fetch-user"].some((name) => headers.has(name))) return false;
  const first = (headers.get("accept") ?? "").split(",")[0].split(";")[0].trim().toLowerCase();
  return first === "text/html";
}

/** Does a failed `route` answer with a redirect? Only a signed-in browser's
 * navigation (a 401 and a cross-site 403 stay what they are). */
export function redirectsOnError(route, request, owner, error) {
  return NAVIGATED.has(route) && owner !== null && isNavigation(request)
    && error.code !== "unauthenticated" && error.code !== "cross_site_request";
}

/** `target` with exactly `provider` and the error's `code` appended. */
export function errorLocation(target, provider, code) {
  return `${target}${target.includes("?") ? "&" : "?"}${new URLSearchParams({ provider, error: code })}`;
}

/** A 303 to `location`, with `cookie` (the flow cookie's clearing) if given. */
export function seeOther(location, cookie = null) {
  const headers = new Headers({ location, "cache-control": "no-store" });
  if (cookie) headers.append("set-cookie", cookie);
  return new Response(null, { status: 303, headers });
}

/** `onError`'s Response, with `cookie` added (the flow cookie is cleared whatever the app answers). */
export function withCookie(response, cookie) {
  if (!cookie) return response;
  const copy = new Response(response.body, response);
  copy.headers.append("set-cookie", cookie);
  return copy;
}
