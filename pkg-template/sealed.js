// Tokens at rest: AES-256-GCM through WebCrypto. Keys come from one Worker
// secret, `TOKEN_KEYS="k2:<base64url of 32 bytes>,k1:…"`: the first key
// encrypts, any listed key decrypts (rotation). The additional data is the
// connection's key and its object's id (worker-connection.js; values sealed
// before review 24 have the key alone and still open), so a ciphertext copied
// into another connection's storage, or another namespace's, does not decrypt there.
import { OAuthError } from "__OAUTH_ERROR__";

const encoder = new TextEncoder();
/** Imported keys per TOKEN_KEYS value (an isolate sees one or two). */
const imported = new Map();

/** Parses and imports TOKEN_KEYS: { current: id, keys: Map(id → CryptoKey) }. */
export async function tokenKeys(secret) {
  if (typeof secret !== "string" || secret.length === 0) {
    throw new OAuthError("vault_key_error", "no token encryption key: set the TOKEN_KEYS secret (k1:<base64url of 32 bytes>)");
  }
  let cached = imported.get(secret);
  if (!cached) {
    cached = importAll(secret);
    imported.set(secret, cached);
    if (imported.size > 4) imported.delete(imported.keys().next().value);
    cached.catch(() => imported.delete(secret));
  }
  return cached;
}

async function importAll(secret) {
  const keys = new Map();
  let current = null;
  for (const entry of secret.split(",")) {
    const match = /^\s*([A-Za-z0-9_-]{1,32}):([A-Za-z0-9_-]+)\s*$/.exec(entry);
    const raw = match && fromBase64url(match[2]);
    if (!raw || raw.length !== 32) {
      throw new OAuthError("vault_key_error", "TOKEN_KEYS must be id:<base64url of 32 bytes>, comma-separated");
    }
    if (keys.has(match[1])) throw new OAuthError("vault_key_error", `TOKEN_KEYS names ${match[1]} twice`);
    keys.set(match[1], await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]));
    current ??= match[1];
  }
  return { current, keys };
}

/** value (JSON-able) → { k, iv, ct } under the first key, bound to `aad`. */
export async function seal(secret, aad, value) {
  const { current, keys } = await tokenKeys(secret);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(aad) },
    keys.get(current),
    encoder.encode(JSON.stringify(value)),
  );
  return { k: current, iv: toBase64url(iv), ct: toBase64url(new Uint8Array(ct)) };
}

/** { k, iv, ct } → value, or vault_key_error (unknown key, wrong key, moved or altered data).
 * `aad`: the additional data, or a list of them (the current first, then older forms). */
export async function open(secret, aad, sealed) {
  return (await openAny(secret, aad, sealed)).value;
}

/** As open; `{ value, current }`, current false when an older additional data opened it. */
async function openAny(secret, aad, sealed) {
  const { keys } = await tokenKeys(secret);
  const key = sealed && keys.get(sealed.k);
  if (!key) throw new OAuthError("vault_key_error", "the stored tokens were encrypted with a key TOKEN_KEYS no longer lists");
  const list = Array.isArray(aad) ? aad : [aad];
  for (const [index, data] of list.entries()) {
    try {
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: fromBase64url(sealed.iv), additionalData: encoder.encode(data) },
        key,
        fromBase64url(sealed.ct),
      );
      return { value: JSON.parse(new TextDecoder().decode(plain)), current: index === 0 };
    } catch {
      // The next form of the additional data, if any.
    }
  }
  throw new OAuthError("vault_key_error", "the stored tokens do not decrypt with their key for this connection");
}

/**
 * `sealed` under the first key and the current additional data (`aad` as in
 * open): `{ keyId, resealed }`, resealed being the new `{ k, iv, ct }`, or
 * null when it is already current, absent, or opened by no listed key (then
 * it must stay exactly as it is).
 */
export async function reseal(secret, aad, sealed) {
  const { current } = await tokenKeys(secret);
  if (!sealed) return { keyId: null, resealed: null };
  const list = Array.isArray(aad) ? aad : [aad];
  // Under the first key with the only form of additional data there is: nothing to open.
  if (sealed.k === current && list.length === 1) return { keyId: current, resealed: null };
  let opened;
  try {
    opened = await openAny(secret, list, sealed);
  } catch {
    return { keyId: sealed.k, resealed: null };
  }
  if (sealed.k === current && opened.current) return { keyId: current, resealed: null };
  const resealed = await seal(secret, list[0], opened.value);
  return { keyId: resealed.k, resealed };
}

/** Is this sealed value under a key other than the current one? */
export async function isStale(secret, sealed) {
  return sealed?.k !== (await tokenKeys(secret)).current;
}

/** The base64url SHA-256 of a text (flow marks, an owner in the pending cookie). */
export async function sha256(text) {
  return toBase64url(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text))));
}

export function toBase64url(bytes) {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64url(text) {
  try {
    const binary = atob(String(text).replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}
