// The one error class the package throws. wasm-bindgen imports this file, so
// errors made in Rust are real instances: `e instanceof OAuthError` holds.
export class OAuthError extends Error {
  constructor(code, message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "OAuthError";
    this.code = code;
    for (const key of ["status", "providerCode", "providerMessage", "bodyExcerpt", "url", "refreshAndRetry"]) {
      if (details[key] != null) this[key] = details[key];
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
export function configJson(value) {
  return JSON.stringify(value, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? {} : v));
}
