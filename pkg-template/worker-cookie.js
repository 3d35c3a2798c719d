// The pending flow's cookie of partner-oauth/worker: `__Host-` prefixed,
// HttpOnly, SameSite=Lax, its JSON body HMAC'd under a key derived from
// STATE_KEY: the owner's keyed mark (`ownerMark`), the provider, the label,
// the pending value and the flow's state; no token. The body is signed, not
// encrypted: it names no one (review 35, finding C).
import { toBase64url, fromBase64url } from "./sealed.js";

export const cookieName = (provider) => `__Host-partner-oauth-${provider}`;
export const clearCookie = (provider) => `${cookieName(provider)}=; HttpOnly; Secure; SameSite=Lax; Path=/; Max-Age=0`;

async function macKey(secret) {
  return crypto.subtle.importKey("raw", new TextEncoder().encode(`partner-oauth/worker cookie\0${secret}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

/** The owner as the cookie names them: HMAC-SHA-256 under its own key derived
 * from STATE_KEY. An unkeyed hash let whoever held a cookie confirm offline
 * who started the flow (review 35, finding C). */
export async function ownerMark(secret, owner) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(`partner-oauth/worker cookie owner\0${secret}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return toBase64url(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(owner))));
}

export async function sealCookie(secret, value) {
  const body = toBase64url(new TextEncoder().encode(JSON.stringify(value)));
  const mac = await crypto.subtle.sign("HMAC", await macKey(secret), new TextEncoder().encode(body));
  return `${body}.${toBase64url(new Uint8Array(mac))}`;
}

/** The cookie's value, or null when its MAC does not verify (checked in constant time by WebCrypto). */
export async function openCookie(secret, raw) {
  const [body, mac, more] = raw.split(".");
  const macBytes = mac && fromBase64url(mac);
  if (more !== undefined || !body || !macBytes) return null;
  if (!(await crypto.subtle.verify("HMAC", await macKey(secret), macBytes, new TextEncoder().encode(body)))) return null;
  try {
    const value = JSON.parse(new TextDecoder().decode(fromBase64url(body)));
    return typeof value?.o === "string" && typeof value.v === "string" && typeof value.l === "string" && typeof value.p === "string" && typeof value.s === "string" ? value : null;
  } catch {
    return null;
  }
}

/** Spaces and tabs off both ends, by index (a regex anchored at the end backtracks quadratically). */
function trimSpaces(text) {
  let start = 0, end = text.length;
  while (start < end && (text[start] === " " || text[start] === "\t")) start++;
  while (end > start && (text[end - 1] === " " || text[end - 1] === "\t")) end--;
  return text.slice(start, end);
}

/** Every value of the cookie `name`, in header order. Split on ";" only
 * (browsers allow "," inside a value, where another writer could hide one
 * of ours) and trimmed of spaces and tabs only, as browsers trim names: a
 * name led by NBSP is another cookie. A second cookie of the name (an old
 * browser's nameless cookie reads the same) may be planted, so the caller
 * takes the one that is the user's. */
export function readCookies(header, name) {
  const values = [];
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && trimSpaces(part.slice(0, at)) === name) values.push(trimSpaces(part.slice(at + 1)));
  }
  return values;
}

export function timingSafeEqual(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
