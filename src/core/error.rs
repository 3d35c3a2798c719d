//! One error type with a stable, machine-readable code.
//!
//! Messages never contain a secret: they are written by this crate from
//! constant text plus non-secret names. The provider's own error text is kept
//! apart (`provider_code`, `provider_message`) and truncated.

use crate::core::text::decimal;
use std::fmt;

/// The closed list of error codes. `as_str` is the stable spelling JS sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// An option is missing or malformed (client id, scopes, key, …).
    InvalidConfig,
    /// The provider name is not one of the presets.
    UnknownProvider,
    /// The preset has no environment of that name.
    UnknownEnvironment,
    /// No source documents this endpoint: the caller must supply it.
    MissingEndpoint,
    /// Not `https`, or `http` on a non-loopback host, or has a fragment.
    InvalidRedirectUri,
    /// An argument to an operation is malformed (verifier, payload, …).
    InvalidArgument,
    /// The preset does not support that grant or token kind.
    UnsupportedGrant,
    /// A client secret was given to a client running in a browser page.
    SecretInBrowser,
    /// The platform could not supply random bytes.
    RandomUnavailable,
    /// An input exceeds a documented size limit.
    InputTooLarge,
    /// The pending value is malformed, or its seal does not verify.
    InvalidPending,
    /// The pending value belongs to another provider, environment or client.
    ProviderMismatch,
    /// The `state` is malformed, or its signature does not verify.
    InvalidState,
    /// The callback's `state` is not the one this flow sent.
    StateMismatch,
    /// The flow is older than the allowed age.
    StateExpired,
    /// The callback URL cannot be read (garbage, duplicate parameters, …).
    InvalidCallback,
    /// The callback carries neither a code nor an error.
    MissingCode,
    /// The user refused consent (`error=access_denied`).
    AccessDenied,
    /// The authorization server returned another error on the callback.
    AuthorizationError,
    /// The callback's `iss` is not the expected issuer (RFC 9207).
    IssuerMismatch,
    /// The code or refresh token is invalid, expired, used or revoked (RFC 6749 §5.2).
    InvalidGrant,
    /// Client authentication failed (RFC 6749 §5.2).
    InvalidClient,
    /// The token endpoint returned another RFC 6749 §5.2 error.
    TokenError,
    /// The API refused the access token as invalid.
    InvalidToken,
    /// The API says the access token has expired.
    TokenExpired,
    /// The API says the access token was revoked.
    TokenRevoked,
    /// An HTTP error status with no OAuth error in the body.
    HttpError,
    /// A success status whose body is not what the operation returns.
    InvalidResponse,
    /// fetch failed before a response arrived.
    NetworkError,
    /// No response within the timeout.
    Timeout,
    /// The JWT is malformed (segments, base64url, JSON).
    InvalidJwt,
    /// The JWT's `alg` is `none`, not allowed, or does not fit the key.
    AlgorithmNotAllowed,
    /// No key fits the JWT (its `kid` and `alg`).
    KeyNotFound,
    /// The JWT's signature does not verify.
    InvalidSignature,
    /// The JWT's `nbf` is in the future.
    TokenNotYetValid,
    /// The JWT's `aud` does not name the expected audience.
    AudienceMismatch,
    /// The JWT lacks a required scope.
    InsufficientScope,
    /// An OAuth endpoint answered with a redirect, which is never followed.
    UnexpectedRedirect,
    /// The Worker's `authenticate` named no owner for the request.
    Unauthenticated,
    /// A connect request that is not a same-origin POST.
    CrossSiteRequest,
    /// The owner has no such connection (never made, or disconnected).
    ConnectionNotFound,
    /// The connection's refresh token is dead: the user must reconnect.
    ConnectionExhausted,
    /// The connection's access token expired while refreshes are backing off.
    ConnectionBackoff,
    /// The API answered 429 or 503 with `Retry-After`; nothing waits for it.
    RateLimited,
    /// The token encryption keys are missing or malformed, or none decrypts the stored tokens.
    VaultKeyError,
    /// A callback arrived with no pending value (no cookie, nothing in
    /// sessionStorage).
    MissingPending,
    /// A callback whose flow was already used.
    ReplayedCallback,
    /// The owner at callback time is not the owner who started the flow.
    OwnerMismatch,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 48] = [
        ErrorCode::InvalidConfig,
        ErrorCode::UnknownProvider,
        ErrorCode::UnknownEnvironment,
        ErrorCode::MissingEndpoint,
        ErrorCode::InvalidRedirectUri,
        ErrorCode::InvalidArgument,
        ErrorCode::UnsupportedGrant,
        ErrorCode::SecretInBrowser,
        ErrorCode::RandomUnavailable,
        ErrorCode::InputTooLarge,
        ErrorCode::InvalidPending,
        ErrorCode::ProviderMismatch,
        ErrorCode::InvalidState,
        ErrorCode::StateMismatch,
        ErrorCode::StateExpired,
        ErrorCode::InvalidCallback,
        ErrorCode::MissingCode,
        ErrorCode::AccessDenied,
        ErrorCode::AuthorizationError,
        ErrorCode::IssuerMismatch,
        ErrorCode::InvalidGrant,
        ErrorCode::InvalidClient,
        ErrorCode::TokenError,
        ErrorCode::InvalidToken,
        ErrorCode::TokenExpired,
        ErrorCode::TokenRevoked,
        ErrorCode::HttpError,
        ErrorCode::InvalidResponse,
        ErrorCode::NetworkError,
        ErrorCode::Timeout,
        ErrorCode::InvalidJwt,
        ErrorCode::AlgorithmNotAllowed,
        ErrorCode::KeyNotFound,
        ErrorCode::InvalidSignature,
        ErrorCode::TokenNotYetValid,
        ErrorCode::AudienceMismatch,
        ErrorCode::InsufficientScope,
        ErrorCode::UnexpectedRedirect,
        ErrorCode::Unauthenticated,
        ErrorCode::CrossSiteRequest,
        ErrorCode::ConnectionNotFound,
        ErrorCode::ConnectionExhausted,
        ErrorCode::ConnectionBackoff,
        ErrorCode::RateLimited,
        ErrorCode::VaultKeyError,
        ErrorCode::MissingPending,
        ErrorCode::ReplayedCallback,
        ErrorCode::OwnerMismatch,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidConfig => "invalid_config",
            ErrorCode::UnknownProvider => "unknown_provider",
            ErrorCode::UnknownEnvironment => "unknown_environment",
            ErrorCode::MissingEndpoint => "missing_endpoint",
            ErrorCode::InvalidRedirectUri => "invalid_redirect_uri",
            ErrorCode::InvalidArgument => "invalid_argument",
            ErrorCode::UnsupportedGrant => "unsupported_grant",
            ErrorCode::SecretInBrowser => "secret_in_browser",
            ErrorCode::RandomUnavailable => "random_unavailable",
            ErrorCode::InputTooLarge => "input_too_large",
            ErrorCode::InvalidPending => "invalid_pending",
            ErrorCode::ProviderMismatch => "provider_mismatch",
            ErrorCode::InvalidState => "invalid_state",
            ErrorCode::StateMismatch => "state_mismatch",
            ErrorCode::StateExpired => "state_expired",
            ErrorCode::InvalidCallback => "invalid_callback",
            ErrorCode::MissingCode => "missing_code",
            ErrorCode::AccessDenied => "access_denied",
            ErrorCode::AuthorizationError => "authorization_error",
            ErrorCode::IssuerMismatch => "issuer_mismatch",
            ErrorCode::InvalidGrant => "invalid_grant",
            ErrorCode::InvalidClient => "invalid_client",
            ErrorCode::TokenError => "token_error",
            ErrorCode::InvalidToken => "invalid_token",
            ErrorCode::TokenExpired => "token_expired",
            ErrorCode::TokenRevoked => "token_revoked",
            ErrorCode::HttpError => "http_error",
            ErrorCode::InvalidResponse => "invalid_response",
            ErrorCode::NetworkError => "network_error",
            ErrorCode::Timeout => "timeout",
            ErrorCode::InvalidJwt => "invalid_jwt",
            ErrorCode::AlgorithmNotAllowed => "algorithm_not_allowed",
            ErrorCode::KeyNotFound => "key_not_found",
            ErrorCode::InvalidSignature => "invalid_signature",
            ErrorCode::TokenNotYetValid => "token_not_yet_valid",
            ErrorCode::AudienceMismatch => "audience_mismatch",
            ErrorCode::InsufficientScope => "insufficient_scope",
            ErrorCode::UnexpectedRedirect => "unexpected_redirect",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::CrossSiteRequest => "cross_site_request",
            ErrorCode::ConnectionNotFound => "connection_not_found",
            ErrorCode::ConnectionExhausted => "connection_exhausted",
            ErrorCode::ConnectionBackoff => "connection_backoff",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::VaultKeyError => "vault_key_error",
            ErrorCode::MissingPending => "missing_pending",
            ErrorCode::ReplayedCallback => "replayed_callback",
            ErrorCode::OwnerMismatch => "owner_mismatch",
        }
    }
}

/// The provider's own text is cut to this many characters (after any
/// scrubbing: a cut first could split an echoed secret, and leave its prefix).
pub const PROVIDER_TEXT_MAX: usize = 256;

/// Boxed: a `Result` then carries one pointer, not 64 bytes, through every
/// `?` in the module.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Clone, PartialEq, Eq)]
struct Inner {
    code: ErrorCode,
    message: String,
    provider_code: Option<String>,
    provider_message: Option<String>,
    status: Option<u16>,
    body_excerpt: Option<String>,
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            inner: Box::new(Inner {
                code,
                message: message.into(),
                provider_code: None,
                provider_message: None,
                status: None,
                body_excerpt: None,
            }),
        }
    }

    /// Attaches the provider's own error code and description (cut to
    /// `PROVIDER_TEXT_MAX`, control characters dropped so they cannot forge
    /// log lines).
    pub fn with_provider(self, code: Option<&str>, message: Option<&str>) -> Self {
        self.with_provider_uncut(code, message)
            .scrub_provider_text(|text| text.chars().take(PROVIDER_TEXT_MAX).collect())
    }

    /// As `with_provider`, but not cut yet: `scrub_provider_text` must follow.
    pub(crate) fn with_provider_uncut(mut self, code: Option<&str>, message: Option<&str>) -> Self {
        let clean = |text: &str| text.chars().filter(|c| !c.is_control()).collect();
        self.inner.provider_code = code.map(clean);
        self.inner.provider_message = message.map(clean);
        self
    }

    /// Rewrites the provider's code and message with `finish`, which removes
    /// secrets and then cuts to `PROVIDER_TEXT_MAX` (see `response::scrub_cut`).
    pub fn scrub_provider_text(mut self, finish: impl Fn(&str) -> String) -> Self {
        self.inner.provider_code = self.inner.provider_code.as_deref().map(&finish);
        self.inner.provider_message = self.inner.provider_message.as_deref().map(&finish);
        self
    }

    /// The HTTP status and a secret-free excerpt of the body (the caller
    /// scrubs it: see `response::excerpt`).
    pub fn with_http(mut self, status: u16, body_excerpt: Option<String>) -> Self {
        self.inner.status = Some(status);
        self.inner.body_excerpt = body_excerpt;
        self
    }

    pub fn code(&self) -> ErrorCode {
        self.inner.code
    }
    pub fn message(&self) -> &str {
        &self.inner.message
    }
    pub fn provider_code(&self) -> Option<&str> {
        self.inner.provider_code.as_deref()
    }
    pub fn provider_message(&self) -> Option<&str> {
        self.inner.provider_message.as_deref()
    }
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }
    pub fn body_excerpt(&self) -> Option<&str> {
        self.inner.body_excerpt.as_deref()
    }
}

impl Error {
    /// The message plus the provider's code and text: what JS shows as
    /// `message` (its `code` is a property of its own).
    pub fn detail(&self) -> String {
        let mut text = self.inner.message.clone();
        if let Some(status) = self.inner.status {
            text.push_str(" [HTTP ");
            text.push_str(&decimal(u64::from(status)));
            text.push(']');
        }
        if let Some(code) = &self.inner.provider_code {
            text.push_str(" (provider: ");
            text.push_str(code);
            if let Some(message) = &self.inner.provider_message {
                text.push_str(": ");
                text.push_str(message);
            }
            text.push(')');
        }
        text
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.inner.code.as_str())?;
        f.write_str(": ")?;
        f.write_str(&self.detail())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("code", &self.inner.code.as_str())
            .field("message", &self.inner.message)
            .field("provider_code", &self.inner.provider_code)
            .field("provider_message", &self.inner.provider_message)
            .field("status", &self.inner.status)
            .field("body_excerpt", &self.inner.body_excerpt)
            .finish()
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Shorthand for `Err(Error::new(code, message))`.
pub(crate) fn fail<T>(code: ErrorCode, message: impl Into<String>) -> Result<T> {
    Err(Error::new(code, message))
}
