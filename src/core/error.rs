//! One error type with a stable, machine-readable code.
//!
//! Messages never contain a secret: they are written by this crate from
//! constant text plus non-secret names. The provider's own error text is kept
//! apart (`provider_code`, `provider_message`) and truncated.

#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
use crate::core::text::decimal;
#[cfg(any(feature = "server", not(target_arch = "wasm32"), test))]
use crate::core::text::has_control;
use crate::core::text::{put_str, utf8};
#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
use std::fmt;

/// Declares the error codes once: the enum, `ALL`, `as_str` and
/// `description` all come from this list, and so do the TypeScript union and
/// the README table (`tests/contracts.rs` fails when they drift).
macro_rules! error_codes {
    ($( #[doc = $doc:literal] $variant:ident = $name:literal, )*) => {
        /// The closed list of error codes. `as_str` is the stable spelling JS sees.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $( #[doc = $doc] $variant, )*
        }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The stable spelling: `OAuthError.code` in JS.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $name,)*
                }
            }

            /// When the code is raised, as the README's error table says it.
            pub fn description(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $doc.trim_start(),)*
                }
            }
        }
    };
}

// Each line is the README's "when" column for that code: one sentence, no
// line breaks (the table is generated from it).
error_codes! {
    /// an option is missing, malformed or unknown; `partner-oauth/worker`: also `authenticate` threw (500, its text never shown)
    InvalidConfig = "invalid_config",
    /// `provider` is not one of the six; `partner-oauth/worker`: a route or `connection()` names a provider the Worker does not configure (404)
    UnknownProvider = "unknown_provider",
    /// the preset has no such environment (the message lists them)
    UnknownEnvironment = "unknown_environment",
    /// no source documents that endpoint: pass it in `endpoints`
    MissingEndpoint = "missing_endpoint",
    /// not `https`/loopback `http`, has a fragment or credentials, or has a query where the provider forbids one (Billit)
    InvalidRedirectUri = "invalid_redirect_uri",
    /// a bad scope, token kind, extra parameter or PKCE verifier; `partner-oauth/page`: a client used after `free()`
    InvalidArgument = "invalid_argument",
    /// the preset does not support that grant
    UnsupportedGrant = "unsupported_grant",
    /// `clientSecret` or `stateKey` given in a page with a DOM
    SecretInBrowser = "secret_in_browser",
    /// the platform gave no random bytes
    RandomUnavailable = "random_unavailable",
    /// over a limit below
    InputTooLarge = "input_too_large",
    /// the pending value is malformed, its seal does not verify, or it lost the PKCE verifier its preset needs
    InvalidPending = "invalid_pending",
    /// the pending value belongs to another provider, environment or client
    ProviderMismatch = "provider_mismatch",
    /// the state is malformed, unsigned where a key is set, forged, or from the future
    InvalidState = "invalid_state",
    /// the callback's state is missing or not this flow's
    StateMismatch = "state_mismatch",
    /// the flow is older than `stateMaxAge`
    StateExpired = "state_expired",
    /// not a URL/query, duplicate parameters, response in the fragment, control characters
    InvalidCallback = "invalid_callback",
    /// no code and no error on the callback
    MissingCode = "missing_code",
    /// the user refused (`error=access_denied`)
    AccessDenied = "access_denied",
    /// any other `error=` on the callback (`providerCode` holds it)
    AuthorizationError = "authorization_error",
    /// `iss` differs from `preset.issuer` or is missing while one is set (RFC 9207), or a JWT's `iss` from `issuer`
    IssuerMismatch = "issuer_mismatch",
    /// the code or refresh token was refused: used, expired, revoked, rotated away, or another client's
    InvalidGrant = "invalid_grant",
    /// client authentication failed
    InvalidClient = "invalid_client",
    /// any other RFC 6749 §5.2 error (`providerCode` holds it)
    TokenError = "token_error",
    /// the API refused the token (RFC 6750 `WWW-Authenticate`, Billit `InvalidAccessToken`)
    InvalidToken = "invalid_token",
    /// the API says the token expired (Billit `AccessTokenExpired`), or a JWT's `exp` passed
    TokenExpired = "token_expired",
    /// the API says the token was revoked (Billit `AccessTokenRevoked`)
    TokenRevoked = "token_revoked",
    /// an HTTP error with no OAuth error in the body (HTML, empty, a proxy's page)
    HttpError = "http_error",
    /// a success status whose body is not what was asked for (not JSON, no `access_token`, Payout's merchant `{token, valid_for}`, a bad `expires_in`)
    InvalidResponse = "invalid_response",
    /// fetch failed before a response arrived; `url` holds the origin it went to (a forgotten `endpoints` override shows here), `cause` the runtime's own error, both scrubbed of secrets
    NetworkError = "network_error",
    /// no response within `timeoutMs`
    Timeout = "timeout",
    /// a JWT is malformed (segments, base64url, JSON, a claim of the wrong type)
    InvalidJwt = "invalid_jwt",
    /// a JWT's `alg` is `none`, unknown, not allowed, or does not fit the key
    AlgorithmNotAllowed = "algorithm_not_allowed",
    /// no key fits the JWT's `kid` and `alg`
    KeyNotFound = "key_not_found",
    /// a JWT's signature does not verify
    InvalidSignature = "invalid_signature",
    /// a JWT's `nbf` is in the future
    TokenNotYetValid = "token_not_yet_valid",
    /// a JWT's `aud` does not name the expected audience
    AudienceMismatch = "audience_mismatch",
    /// a JWT lacks a required scope
    InsufficientScope = "insufficient_scope",
    /// a token, introspection or revocation endpoint answered with a redirect (3xx, or a browser's opaque redirect): never followed, since the body carries the secret, code or verifier
    UnexpectedRedirect = "unexpected_redirect",
    /// `partner-oauth/worker`: your `authenticate` named no owner (401, before any Durable Object is touched)
    Unauthenticated = "unauthenticated",
    /// `partner-oauth/worker`: a connect, disconnect or other unsafe request that is not from the app's own origin, or a connect or disconnect that is not a POST (403)
    CrossSiteRequest = "cross_site_request",
    /// `partner-oauth/worker`: the owner has no such connection: never made (status), or disconnected (fetch, disconnect); status after a disconnect answers 200 with state `disconnected` (404)
    ConnectionNotFound = "connection_not_found",
    /// `partner-oauth/worker`: the provider refused the refresh for good, it failed too often, or the provider confirmed a token without a refresh token is gone (`token_revoked`): the user must reconnect (409)
    ConnectionExhausted = "connection_exhausted",
    /// `partner-oauth/worker`: the access token expired while refreshes back off; `retryAfter` says when the next attempt is (503)
    ConnectionBackoff = "connection_backoff",
    /// `partner-oauth/worker`: the API answered 429 or 503 with `Retry-After` (nothing waits; the error's `status` is that answer's), or the application's rate budget refused the call after waiting up to `budget.maxWaitMs` (no `status`; the route answers 429). `connection().fetch`'s OAuthError carries `retryAfter` (seconds) either way
    RateLimited = "rate_limited",
    /// `partner-oauth/worker`: `TOKEN_KEYS` is missing or malformed, or no listed key decrypts the stored tokens; nothing is deleted (500)
    VaultKeyError = "vault_key_error",
    /// no pending value: `parseCallback` got `null` or `""` (stored in another tab or origin, already used, or expired), or a `partner-oauth/worker` callback came without its flow cookie
    MissingPending = "missing_pending",
    /// `partner-oauth/worker`: a callback whose flow was already used
    ReplayedCallback = "replayed_callback",
    /// `partner-oauth/worker`: the signed-in owner at the callback is not the one who started the flow
    OwnerMismatch = "owner_mismatch",
    /// `partner-oauth/worker`: a connect would give the owner more connections than `maxConnections` (default 50; labels come from the request) (409)
    TooManyConnections = "too_many_connections",
}

impl ErrorCode {
    /// The code at `index` in `ALL` (`InvalidArgument` past its end).
    pub(crate) fn at(index: u8) -> ErrorCode {
        ErrorCode::ALL
            .get(usize::from(index))
            .copied()
            .unwrap_or(ErrorCode::InvalidArgument)
    }

    /// Whether a provider's answer with this code means "the access token
    /// was refused: refresh it and retry once" (JS: `OAuthError.refreshAndRetry`).
    pub const fn refresh_and_retry(self) -> bool {
        matches!(
            self,
            ErrorCode::InvalidToken | ErrorCode::TokenExpired | ErrorCode::TokenRevoked
        )
    }

    /// Whether the page build (`partner-oauth/page`) can raise this code:
    /// its messages' codes (messages.rs asserts each while compiling, and
    /// the other messages are not compiled into it). Its glue names a code
    /// from error-codes.js' `PAGE_CODES`, generated from this.
    pub const fn in_page(self) -> bool {
        (self as u8) <= ErrorCode::IssuerMismatch as u8 || matches!(self, ErrorCode::MissingPending)
    }

    /// Whether a refused refresh with this code means the user's grant is
    /// gone: no retry can work, only a new consent (RFC 6749 §5.2
    /// `invalid_grant`). Not `invalid_client`: the app's own credentials,
    /// which the operator puts right while the grant stands. JS:
    /// `partner-oauth/worker`'s `classifyFailure` (error-codes.js'
    /// `GRANT_ENDED`, generated from this).
    pub const fn ends_grant(self) -> bool {
        matches!(self, ErrorCode::InvalidGrant)
    }

    /// Whether a refused access token's code names no cause (RFC 6750
    /// `invalid_token`, against `token_expired` and `token_revoked`, which a
    /// refresh cures): a path that refuses every token answers it too. JS:
    /// the Worker's hold on refreshing a token a refusal's refresh just gave
    /// (error-codes.js' `CAUSE_UNNAMED`, generated from this).
    pub const fn names_no_cause(self) -> bool {
        matches!(self, ErrorCode::InvalidToken)
    }
}

/// The provider's own text is cut to this many characters (after any
/// scrubbing: a cut first could split an echoed secret, and leave its prefix).
pub const PROVIDER_TEXT_MAX: usize = 256;

/// Boxed: a `Result` then carries one pointer, not 64 bytes, through every
/// `?` in the module.
#[derive(Clone, PartialEq)]
#[cfg_attr(any(feature = "server", not(target_arch = "wasm32")), derive(Eq))]
pub struct Error {
    inner: Box<Inner>,
}

/// The page build's error is its answer, as raw.rs' `failed` leaves it
/// for raw.js: nothing to take apart or copy when it is sent.
#[cfg(all(target_arch = "wasm32", not(feature = "server")))]
#[derive(Clone, PartialEq)]
struct Inner {
    // The code's index in `ErrorCode::ALL`, the message's id, the
    // provider's code's and message's byte lengths (-1: none), the four
    // parts' byte lengths (0 past the last).
    numbers: [f64; 8],
    // The provider's code and message (only on an error without parts:
    // raw.js reads them first), or the parts one after another.
    bytes: String,
}

#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
#[derive(Clone, PartialEq, Eq)]
struct Inner {
    // The code's index in `ErrorCode::ALL`, as a message carries it: the
    // page's answer sends it so, with no lookup of the code.
    code: u8,
    message: String,
    provider_code: Option<String>,
    provider_message: Option<String>,
    // Set only by reading a response.
    status: Option<u16>,
    body_excerpt: Option<String>,
}

impl Error {
    /// An error with its code and this crate's message (never a secret).
    /// Not in the page build, whose errors are its messages' (`in_page`).
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error::of(code as u8, message.into())
    }

    /// `new`'s one body: each message type only converts (one copy of the
    /// boxing in the module, not one per type).
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub(crate) fn of(code: u8, message: String) -> Self {
        Error {
            inner: Box::new(Inner {
                code,
                message,
                provider_code: None,
                provider_message: None,
                status: None,
                body_excerpt: None,
            }),
        }
    }

    /// The page build's error: its message's id, and its parts (four at
    /// most, `EndpointUndocumented`'s) one after another with their lengths.
    #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
    pub(crate) fn parts(code: u8, id: u8, parts: &[&str]) -> Self {
        let mut inner = Box::new(Inner {
            numbers: [
                f64::from(code),
                f64::from(id),
                -1.0,
                -1.0,
                0.0,
                0.0,
                0.0,
                0.0,
            ],
            bytes: String::new(),
        });
        let Inner { numbers, bytes } = &mut *inner;
        for (length, part) in numbers.iter_mut().skip(4).zip(parts) {
            put_str(bytes, part);
            *length = part.len() as f64;
        }
        Error { inner }
    }

    /// The page's first part as a number raw.js writes in decimal: its
    /// length slot holds `-2 - n` (-1 is a provider field's "none"; a
    /// byte length is never negative). Only on an error that gets no
    /// provider fields (raw.js reads those first, from the answer's start).
    /// Exact below 2^53: `stateMaxAge`, its one use, is at most 86400.
    #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
    pub(crate) fn number(mut self, n: u64) -> Self {
        self.inner.numbers[4] = -2.0 - n as f64;
        self
    }

    /// Attaches the provider's own error code and description (cut to
    /// `PROVIDER_TEXT_MAX`, control characters dropped so they cannot forge
    /// log lines).
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub fn with_provider(mut self, code: Option<&str>, message: Option<&str>) -> Self {
        // Any earlier ones dropped here: `with_provider_bytes` expects none.
        (self.inner.provider_code, self.inner.provider_message) = (None, None);
        self.with_provider_bytes(code.map(str::as_bytes), message.map(str::as_bytes))
    }

    /// As `with_provider`, from UTF-8 bytes (the callback's decoded values,
    /// each checked as it was read): no `str` made of them to cut. On an
    /// error without provider fields (a fresh one, as `provider_error`'s):
    /// the `None`s it replaces are not dropped.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub(crate) fn with_provider_bytes(self, code: Option<&[u8]>, message: Option<&[u8]>) -> Self {
        // One pass: drop control characters and cut (uncut + scrub took two
        // collects per text).
        self.with_provider_fields(code, message, without_controls)
    }

    /// As `with_provider_bytes`, for a callback's values in the page build:
    /// they hold no control character either (`read_pairs` refuses one as
    /// it reads them), so they are only cut (page -45 B gzip), and appended
    /// to the answer's bytes with their lengths. A constructor from the
    /// message, not a method on an error: the error has no parts and no
    /// fields yet, so the values are the answer's first bytes, where raw.js
    /// reads them (a part written before them would shift them).
    #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
    #[inline(always)]
    pub(crate) fn with_callback_values(
        of: crate::core::messages::Message,
        code: Option<&[u8]>,
        message: Option<&[u8]>,
    ) -> Self {
        let mut error = of.error();
        let Inner { numbers, bytes } = &mut *error.inner;
        let mut append = |field: Option<&[u8]>| match field {
            Some(text) => {
                let cut = first_characters(text, PROVIDER_TEXT_MAX);
                put_str(bytes, cut);
                cut.len() as f64
            }
            None => -1.0,
        };
        (numbers[2], numbers[3]) = (append(code), append(message));
        error
    }

    /// The provider's fields, each made by `clean` (cut to
    /// `PROVIDER_TEXT_MAX`) from its bytes.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    #[inline(always)]
    fn with_provider_fields(
        mut self,
        code: Option<&[u8]>,
        message: Option<&[u8]>,
        clean: fn(&[u8], usize) -> String,
    ) -> Self {
        let clean = |text| clean(text, PROVIDER_TEXT_MAX);
        let inner = &mut self.inner;
        std::mem::forget(std::mem::replace(&mut inner.provider_code, code.map(clean)));
        std::mem::forget(std::mem::replace(
            &mut inner.provider_message,
            message.map(clean),
        ));
        self
    }

    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    /// As `with_provider`, but not cut yet: `scrub_provider_text` must follow.
    pub(crate) fn with_provider_uncut(mut self, code: Option<&str>, message: Option<&str>) -> Self {
        let clean = |text: &str| without_controls(text.as_bytes(), usize::MAX);
        self.inner.provider_code = code.map(clean);
        self.inner.provider_message = message.map(clean);
        self
    }

    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    /// Rewrites the provider's code and message with `finish`, which removes
    /// secrets and then cuts to `PROVIDER_TEXT_MAX` (see `response::scrub_cut`).
    pub fn scrub_provider_text(mut self, finish: impl Fn(&str) -> String) -> Self {
        self.inner.provider_code = self.inner.provider_code.as_deref().map(&finish);
        self.inner.provider_message = self.inner.provider_message.as_deref().map(&finish);
        self
    }

    /// The same error under another code: for a message whose code is its
    /// caller's (`urls::check`: one problem is `invalid_config` in an
    /// endpoint, `invalid_redirect_uri` in a redirect URI; a provider's table
    /// of API errors). In the page build its callers pass `in_page` codes
    /// (`invalid_config`, `invalid_redirect_uri`): the one path to an error
    /// that messages.rs' compile-time check does not see.
    pub(crate) fn recoded(mut self, code: ErrorCode) -> Self {
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        {
            self.inner.code = code as u8;
        }
        #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
        {
            self.inner.numbers[0] = f64::from(code as u8);
        }
        self
    }

    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    /// The HTTP status and a secret-free excerpt of the body (the caller
    /// scrubs it: see `response::excerpt`).
    pub fn with_http(mut self, status: u16, body_excerpt: Option<String>) -> Self {
        self.inner.status = Some(status);
        self.inner.body_excerpt = body_excerpt;
        self
    }

    /// The stable code callers branch on.
    pub fn code(&self) -> ErrorCode {
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        return ErrorCode::at(self.inner.code);
        #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
        ErrorCode::at(self.inner.numbers[0] as u8)
    }
    /// The answer raw.js reads: the bytes (parts, then the provider's code
    /// and message), returned, and the numbers (`Inner`'s), written into the
    /// answer's slots (raw.rs' `numbers`): not a pair moved out through the
    /// stack and copied (page −23 B gzip).
    #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
    pub(crate) fn into_answer(self, slots: &mut [f64; 8]) -> String {
        let Inner { numbers, bytes } = *self.inner;
        *slots = numbers;
        bytes
    }
    /// This crate's message, without the provider's text.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub fn message(&self) -> &str {
        &self.inner.message
    }
    /// The provider's own error code (`error`, or an API's code), scrubbed and cut.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub fn provider_code(&self) -> Option<&str> {
        self.inner.provider_code.as_deref()
    }
    /// The provider's own description (`error_description`, …), scrubbed and cut.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub fn provider_message(&self) -> Option<&str> {
        self.inner.provider_message.as_deref()
    }
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    /// The HTTP status, for errors read from a response.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    /// A short excerpt of the response body with every secret removed.
    pub fn body_excerpt(&self) -> Option<&str> {
        self.inner.body_excerpt.as_deref()
    }
}

// The page build's errors are only sent (raw.rs' `failed`): raw.js
// writes their text.
#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
impl Error {
    /// The message plus the provider's code and text: what JS shows as
    /// `message` (its `code` is a property of its own).
    pub fn detail(&self) -> String {
        let mut text = self.inner.message.clone();
        self.push_detail(&mut text);
        text
    }

    /// What `detail` adds to the message.
    fn push_detail(&self, text: &mut String) {
        if let Some(status) = self.inner.status {
            text.push_str(" [HTTP ");
            text.push_str(&decimal(u64::from(status)));
            *text += "]";
        }
        if let Some(code) = &self.inner.provider_code {
            text.push_str(" (provider: ");
            text.push_str(code);
            if let Some(message) = &self.inner.provider_message {
                text.push_str(": ");
                text.push_str(message);
            }
            // Not `push(char)`: no UTF-8 encoder left in the page build.
            *text += ")";
        }
    }
}

#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code().as_str())?;
        f.write_str(": ")?;
        f.write_str(&self.detail())
    }
}

#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Error");
        debug
            .field("code", &self.code().as_str())
            .field("message", &self.inner.message)
            .field("provider_code", &self.inner.provider_code)
            .field("provider_message", &self.inner.provider_message);
        debug
            .field("status", &self.inner.status)
            .field("body_excerpt", &self.inner.body_excerpt);
        debug.finish()
    }
}

#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
impl std::error::Error for Error {}

/// `text` (UTF-8) without its control characters (`char::is_control`),
/// cut to `max` characters: a character at a time by its lead byte (no
/// `chars()` decoding in the module), tested by `text::has_control` (the
/// client id's and the callback's test), and pushed through `text::utf8`,
/// which the module has anyway (`str::get`'s boundary tests, or one
/// `String::from_utf8` of the whole, were more wasm).
#[cfg(any(feature = "server", not(target_arch = "wasm32"), test))]
fn without_controls(text: &[u8], max: usize) -> String {
    let mut out = String::new();
    let (mut at, mut kept) = (0, 0);
    while let Some(&lead) = text.get(at) {
        let length = match lead {
            ..=0x7f => 1,
            0x80..=0xdf => 2,
            0xe0..=0xef => 3,
            _ => 4,
        };
        let character = text.get(at..at + length).unwrap_or_default();
        at += length;
        if has_control(character) {
            continue;
        }
        if kept == max {
            break;
        }
        kept += 1;
        put_str(&mut out, utf8(character).unwrap_or_default());
    }
    out
}

/// The first `max` characters of `text`, UTF-8 without control characters
/// (a callback's values): `without_controls` with nothing to drop, one
/// copy (a character starts at each byte that does not continue one), made
/// by the caller.
#[cfg(any(all(target_arch = "wasm32", not(feature = "server")), test))]
fn first_characters(text: &[u8], max: usize) -> &str {
    let mut kept = 0;
    let end = text
        .iter()
        .position(|&b| {
            kept += usize::from(b & 0xC0 != 0x80);
            kept > max
        })
        .unwrap_or(text.len());
    utf8(text.get(..end).unwrap_or_default()).unwrap_or_default()
}

/// The crate's result: every fallible operation fails with an [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Shorthand for `Err(Error::new(code, message))`: the test oracles' (they
/// keep their messages as literals, to show the table's texts did not change).
#[cfg(feature = "oracle")]
pub(crate) fn fail<T>(code: ErrorCode, message: impl Into<String>) -> Result<T> {
    Err(Error::new(code, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Controls go first, then the cut counts characters: 300 'é's with a
    // control before each leave 256 'é's (a cut first would leave 128).
    #[test]
    fn provider_text_drops_controls_then_cuts_at_256_characters() {
        let text = "\u{7}é".repeat(300);
        let error = Error::new(ErrorCode::AuthorizationError, "m")
            .with_provider(Some("a\u{0}b\u{9f}c"), Some(&text));
        assert_eq!(error.provider_code(), Some("abc"));
        assert_eq!(error.provider_message(), Some("é".repeat(256).as_str()));
        let none = Error::new(ErrorCode::AuthorizationError, "m").with_provider(None, None);
        assert_eq!(
            (none.provider_code(), none.provider_message()),
            (None, None)
        );
    }

    // Every code point, alone and around others, against the chars() form.
    #[test]
    fn without_controls_is_chars_filter_take() {
        let reference = |text: &str, max| -> String {
            text.chars().filter(|c| !c.is_control()).take(max).collect()
        };
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            for text in [c.to_string(), format!("a{c}\u{a0}{c}\u{85}b{c}")] {
                for max in [0, 1, 2, 3, usize::MAX] {
                    assert_eq!(
                        without_controls(text.as_bytes(), max),
                        reference(&text, max),
                        "{text:?}"
                    );
                }
            }
        }
    }

    // The page's cut of a callback's values (no control character: the
    // query reader refuses them) is the full build's, character for
    // character, and on the longest value a callback can carry.
    #[test]
    fn first_characters_is_without_controls_on_text_without_them() {
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            let text = format!("a{c}\u{a0}{c}é{c}b");
            if has_control(text.as_bytes()) {
                continue;
            }
            for text in [c.to_string(), text] {
                for max in [0, 1, 2, 3, 6, 7, 8, usize::MAX] {
                    assert_eq!(
                        first_characters(text.as_bytes(), max),
                        without_controls(text.as_bytes(), max),
                        "{text:?} {max}"
                    );
                }
            }
        }
        let long = "é".repeat(PROVIDER_TEXT_MAX * 40);
        let cut = first_characters(long.as_bytes(), PROVIDER_TEXT_MAX);
        assert_eq!(cut, without_controls(long.as_bytes(), PROVIDER_TEXT_MAX));
        assert_eq!(cut.chars().count(), PROVIDER_TEXT_MAX);
    }

    #[test]
    fn a_grant_ends_only_on_invalid_grant_and_a_cause_is_unnamed_only_in_invalid_token() {
        let pick = |keep: fn(ErrorCode) -> bool| -> Vec<&str> {
            ErrorCode::ALL
                .iter()
                .filter(|code| keep(**code))
                .map(|code| code.as_str())
                .collect()
        };
        assert_eq!(pick(ErrorCode::ends_grant), ["invalid_grant"]);
        assert_eq!(pick(ErrorCode::names_no_cause), ["invalid_token"]);
        // An unnamed cause is still a refusal the core says to refresh for.
        assert!(ErrorCode::ALL
            .iter()
            .all(|code| !code.names_no_cause() || code.refresh_and_retry()));
    }

    // The page build sends a code as `code as u8`, which its glue names from
    // error-codes.js, generated from `ALL`: the two orders must agree.
    #[test]
    fn a_codes_discriminant_is_its_index_in_all() {
        for (index, code) in ErrorCode::ALL.iter().enumerate() {
            assert_eq!(*code as usize, index, "{}", code.as_str());
        }
    }

    // The Worker refreshes and retries on exactly these (was its TOKEN_ERRORS).
    #[test]
    fn refresh_and_retry_is_a_refused_access_token() {
        let picked: Vec<&str> = ErrorCode::ALL
            .iter()
            .filter(|code| code.refresh_and_retry())
            .map(|code| code.as_str())
            .collect();
        assert_eq!(picked, ["invalid_token", "token_expired", "token_revoked"]);
    }
}
