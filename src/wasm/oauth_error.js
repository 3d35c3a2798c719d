// The one error class the package throws. wasm-bindgen imports this file, so
// errors made in Rust are real instances: `e instanceof OAuthError` holds.
// Fields are defined, not assigned, and `details` is read for its own keys
// only: assignment fails on an inherited read-only `name` (a frozen
// Error.prototype, as lockdown-style hardening leaves it) and runs any setter
// on Object.prototype, and an inherited `cause` or `url` is no field of the
// error (review 110, F2). The same own, enumerable, writable fields as
// assignment made, in the same order.
const { hasOwn, defineProperty } = Object;
const FIELDS = ["status", "providerCode", "providerMessage", "bodyExcerpt", "url", "refreshAndRetry"];

export class OAuthError extends Error {
  // A class field is defined (not assigned), right after super().
  name = "OAuthError";

  constructor(code, message, details) {
    // A prototype-less descriptor: an inherited `get` or `set` would make
    // it an accessor's. (Called after super(), which makes `this`.)
    const field = (key, value) => defineProperty(this, key, { __proto__: null, value, writable: true, enumerable: true, configurable: true });
    const own = (key) => (details != null && hasOwn(details, key) ? details[key] : undefined);
    const cause = own("cause");
    super(message, cause === undefined ? undefined : { cause });
    field("code", code);
    for (let i = 0; i < FIELDS.length; i++) {
      const value = own(FIELDS[i]);
      if (value != null) field(FIELDS[i], value);
    }
  }
}

// refreshAndRetry is the core's classification (ErrorCode::refresh_and_retry),
// set only when true. `present` has a bit per provider field the error has
// (1 code, 2 message, 4 body excerpt): an empty one is still set.
export function oauthError(code, message, status, providerCode, providerMessage, bodyExcerpt, present, refreshAndRetry) {
  return new OAuthError(code, message, {
    status,
    providerCode: present & 1 ? providerCode : undefined,
    providerMessage: present & 2 ? providerMessage : undefined,
    bodyExcerpt: present & 4 ? bodyExcerpt : undefined,
    refreshAndRetry: refreshAndRetry || undefined,
  });
}

// Configuration as JSON text. A number JSON cannot hold (NaN, ±Infinity, as
// `Number(env.X)` gives for a missing variable) becomes {}, which no number
// option accepts, rather than null, which reads as an absent option.
// `finite` is its replacer (options.js passes it to JSON.stringify itself).
export const finite = (_, v) => (typeof v === "number" && !Number.isFinite(v) ? {} : v);
export function configJson(value) {
  return JSON.stringify(value, finite);
}
