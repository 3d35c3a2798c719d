// errorCodes() for every entry, in JS: a list is data, and the wasm exports
// only what its entries' classes call (issue 26: −0.2 KB of wasm gzip). The
// list is generated from the Rust declaration, `error_codes!`.
// <generated> by src/core/messages.rs (`page_table_is_generated`) from the `messages!` declarations: edit there, then run `BLESS=1 cargo test --lib messages`
/** The page build's messages at their id (raw.rs' `failed`), split where raw.js puts each part. */
export const PAGE_MESSAGES = [["a text passed to partner-oauth/page is longer than 16,777,216 characters"], [""], ["this client was freed (free() was called)"], ["stateKey must hold 1 to 8 keys"], ["every stateKey must be at least 32 bytes long"], ["the callback URL is longer than 16384 characters"], ["the callback is not a valid http(s) URL"], ["the response arrived in the URL fragment; this library reads the query (response_mode=query)"], ["the callback carries no code, state or error parameter"], ["a callback parameter contains control characters"], ["a callback parameter is not UTF-8 once percent-decoded"], ["a callback parameter appears more than once (RFC 6749 §3.1)"], ["the callback does not fit the buffers given"], ["the callback carries no state"], ["the callback's state is not the one this flow sent"], ["the callback's iss is not the expected issuer (RFC 9207)"], ["the callback carries no iss, and this issuer sends one (RFC 9207)"], ["the callback carries neither a code nor an error"], ["the user refused consent"], ["the authorization server returned an error"], [""], [""], ["no pending value for this callback: it was stored in another tab or origin (localhost and 127.0.0.1 are two), already used, or its storage expired; start the flow again"], ["the pending value is longer than 8192 characters"], ["the pending value is not one this library made"], ["the pending value is not sealed, but a stateKey is set"], ["the pending value's seal does not verify: it was altered or sealed with another key"], ["the pending value is not base64url"], ["the pending value is malformed"], ["a pending field is too long"], ["the pending value belongs to another provider, environment or client, not ", " (", ")"], ["the state is longer than 4096 characters"], ["the state payload is larger than 2048 bytes"], ["the state has more than two parts"], ["the state is not signed, but a stateKey is set"], ["the state's signature does not verify: it was forged or altered"], ["the state is not base64url"], ["the state is truncated"], ["the state has an unknown version"], ["the state payload is not UTF-8"], ["the state has trailing bytes"], ["the state was created in the future"], ["the authorization flow is older than ", " second", ""], ["", " is not an absolute http(s) URL in ASCII"], ["", " must not contain user:password@"], ["", " must not contain a #fragment"], ["", " must use https (http is allowed only on a loopback host)"], ["a clientSecret was given to a client in a browser page; exchange codes on a server (Worker, Node) instead"], ["a stateKey was given to a client in a browser page, where anyone can read it; sign states on a server, or omit it (the page's pending value binds the flow)"], ["provider must be one of: ", ""], ["", " environments are: ", ""], ["clientId must be 1 to 512 characters with no control characters"], ["clientSecret is empty"], ["stateMaxAge must be 1 to 86400 seconds"], ["timeoutMs must be 1 to 300000"], ["", " does not allow query parameters in redirectUri: carry them in the state payload"], ["preset.authorizeParams.", " is already sent (by the library, a token kind or another of its names) and cannot be repeated"], [""], [""], [""], [""], [""], [""], [""], [""], [""], [""], [""], [""], [""], [""], [""], [""], [""], ["redirectUri is required to start an authorization"], ["tokenKind must be one of: ", ""], ["", " has no token kinds; omit tokenKind"], ["more than 100 scopes"], ["each scope must be non-empty printable ASCII without spaces, quotes, backslashes or the scope separator (RFC 6749 §3.3)"], ["params.", " is already sent (by the library, the preset or another param) and cannot be repeated"], ["a PKCE verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1)"], ["the platform could not supply random bytes"], ["the client options must be a string"], ["the start options must be a string"], ["the callback URL must be a string"], ["the pending value must be a string"], ["the PKCE verifier must be a string"], ["", " does not support the authorization code grant"], ["no source documents the authorize endpoint of ", " (", "): pass endpoints.authorize"]];
// </generated>
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
