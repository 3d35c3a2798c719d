// errorCodes() for every entry, in JS: a list is data, and the wasm exports
// only what its entries' classes call (issue 26: −0.2 KB of wasm gzip). The
// list is generated from the Rust declaration, `error_codes!`.
// <generated> by tests/contracts.rs from src/core/error.rs: edit there, then run `BLESS=1 cargo test --test contracts`
const CODES = [
  "invalid_config",
  "unknown_provider",
  "unknown_environment",
  "missing_endpoint",
  "invalid_redirect_uri",
  "invalid_argument",
  "unsupported_grant",
  "secret_in_browser",
  "random_unavailable",
  "input_too_large",
  "invalid_pending",
  "provider_mismatch",
  "invalid_state",
  "state_mismatch",
  "state_expired",
  "invalid_callback",
  "missing_code",
  "access_denied",
  "authorization_error",
  "issuer_mismatch",
  "invalid_grant",
  "invalid_client",
  "token_error",
  "invalid_token",
  "token_expired",
  "token_revoked",
  "http_error",
  "invalid_response",
  "network_error",
  "timeout",
  "invalid_jwt",
  "algorithm_not_allowed",
  "key_not_found",
  "invalid_signature",
  "token_not_yet_valid",
  "audience_mismatch",
  "insufficient_scope",
  "unexpected_redirect",
  "unauthenticated",
  "cross_site_request",
  "connection_not_found",
  "connection_exhausted",
  "connection_backoff",
  "rate_limited",
  "vault_key_error",
  "missing_pending",
  "replayed_callback",
  "owner_mismatch",
  "too_many_connections",
];
/** The codes the page build raises, at their index in CODES (ErrorCode::in_page). */
export const PAGE_CODES = ["invalid_config", "unknown_provider", "unknown_environment", "missing_endpoint", "invalid_redirect_uri", "invalid_argument", "unsupported_grant", "secret_in_browser", "random_unavailable", "input_too_large", "invalid_pending", "provider_mismatch", "invalid_state", "state_mismatch", "state_expired", "invalid_callback", "missing_code", "access_denied", "authorization_error", "issuer_mismatch", , , , , , , , , , , , , , , , , , , , , , , , , , "missing_pending"];
/** A refused refresh with one of these: the user's grant is gone (ErrorCode::ends_grant). */
export const GRANT_ENDED = ["invalid_grant"];
/** A refused access token whose code names no cause (ErrorCode::names_no_cause). */
export const CAUSE_UNNAMED = ["invalid_token"];
// </generated>

/** Every error code the library can throw, for exhaustive switches. */
export const errorCodes = () => [...CODES];
