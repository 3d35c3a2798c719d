//! Every message this crate's errors carry, declared once beside its code
//! (issue 26, item 3). A site names a message and passes its variable
//! parts; no site writes prose. The texts are frozen: `tests/messages.tsv`
//! holds the table and `frozen_table` fails when one changes (`BLESS=1`
//! rewrites it, for a change meant to show in review).
//!
//! A template's `{}` are its variable parts, filled in order by
//! [`Message::with`]: names, limits and lists, never a secret.

use crate::core::error::{Error, ErrorCode, Result};
#[cfg(not(all(target_arch = "wasm32", not(feature = "server"))))]
use crate::core::text::split_at_byte;

/// A message: its template after one byte, its code's index in
/// `ErrorCode::ALL`, each `{}` stored as one `HOLE`. Passed by value;
/// only the messages a build reaches are in it (a `match` over every
/// message would put all their prose in the page build), each one byte
/// longer than its text less one a `{}` (a record of code and text pointer
/// cost 12 bytes a message).
#[cfg(not(all(target_arch = "wasm32", not(feature = "server"))))]
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Message(&'static str);

/// The page build's message: its code's index in `ErrorCode::ALL`, then its
/// id, its place in the `PAGE` group: raw.js fills its template from
/// error-codes.js' `PAGE_MESSAGES`, generated from these declarations
/// (`page_table_is_generated`), so no prose is in the page wasm. Both in
/// one `u16` (the code its low byte): one argument at each `with` site,
/// not two.
#[cfg(all(target_arch = "wasm32", not(feature = "server")))]
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Message(u16);

#[cfg(not(all(target_arch = "wasm32", not(feature = "server"))))]
/// A variable part's place in a stored template: one byte to find, where
/// `{}` took a byte and a test of the next (no template holds it as text).
const HOLE: u8 = 1;

/// `bytes` as text: checked while compiling, not at each error (a
/// `tagged` text is its UTF-8 with ASCII bytes for `{}`, so never "").
pub(crate) const fn text(bytes: &'static [u8]) -> &'static str {
    match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => "",
    }
}

#[cfg(not(all(target_arch = "wasm32", not(feature = "server"))))]
/// How many `{}` `text` holds.
// Evaluated while compiling.
#[allow(clippy::indexing_slicing)]
const fn holes(text: &str) -> usize {
    let text = text.as_bytes();
    let (mut at, mut count) = (0, 0);
    while at + 1 < text.len() {
        if text[at] == b'{' && text[at + 1] == b'}' {
            count += 1;
        }
        at += 1;
    }
    count
}

#[cfg(not(all(target_arch = "wasm32", not(feature = "server"))))]
/// `text` after one byte: `code`'s index in `ErrorCode::ALL` (its
/// discriminant), each `{}` as a `HOLE`. `N` is one more than the
/// text's length, less its [`holes`].
// Evaluated while compiling: an index out of range fails the build.
#[allow(clippy::indexing_slicing)]
const fn tagged<const N: usize>(code: ErrorCode, text: &str) -> [u8; N] {
    let mut out = [0; N];
    out[0] = code as u8;
    let text = text.as_bytes();
    let (mut at, mut to) = (0, 1);
    while at < text.len() {
        if text[at] == b'{' && at + 1 < text.len() && text[at + 1] == b'}' {
            out[to] = HOLE;
            at += 2;
        } else {
            out[to] = text[at];
            at += 1;
        }
        to += 1;
    }
    out
}

/// Declares the messages: one constant each, and (tests) the list of all
/// with their names, codes and whether raw.js' table holds them.
/// `$page`: each message's code must be one the page build's glue names
/// (`ErrorCode::in_page`), checked while compiling. `#[full_only]` marks a
/// message of that group the page build never raises (the full build's
/// option reader and exchange raise it; the page's code that names it is
/// compiled but never linked): `[""]` in raw.js' table, so one raised
/// after all is an OAuthError with its code and an empty text.
macro_rules! messages {
    ($list:ident, $page:literal; $( $(#[$full_only:ident])? $name:ident = $code:ident $text:literal, )*) => {
        // The names read as types do at the sites: `Message::StateKeyCount`.
        #[allow(non_upper_case_globals)]
        #[cfg(not(all(target_arch = "wasm32", not(feature = "server"))))]
        impl Message {
            $(
                #[doc = $text]
                pub const $name: Message =
                    Message(text(&const { tagged::<{ $text.len() + 1 - holes($text) }>(ErrorCode::$code, $text) }));
            )*
        }
        // The page build's ids: each message's place in its group (only the
        // page's group is compiled there).
        #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
        #[allow(non_camel_case_types, dead_code)]
        enum Id { $($name,)* Count }
        // Ids travel as `u8`: a group past 256 messages must not wrap.
        #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
        const _: () = assert!(Id::Count as usize <= 256);
        #[allow(non_upper_case_globals)]
        #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
        impl Message {
            $(
                #[doc = $text]
                pub const $name: Message = Message(ErrorCode::$code as u16 | (Id::$name as u16) << 8);
            )*
        }
        $(const _: () = assert!(!$page || ErrorCode::$code.in_page());)*

        /// The group's messages with their names, declared codes and
        /// whether raw.js' table holds them, in declaration order.
        #[cfg(test)]
        const $list: &[(&str, ErrorCode, Message, bool)] = &[$((
            stringify!($name),
            ErrorCode::$code,
            Message::$name,
            $page && <[&str]>::is_empty(&[$(stringify!($full_only))?]),
        )),*];
    };
}

#[cfg(all(target_arch = "wasm32", not(feature = "server")))]
impl Message {
    /// The code the message is raised with.
    pub fn code(self) -> ErrorCode {
        ErrorCode::at(self.0 as u8) // ok: the low byte
    }
    /// The error, its template whole.
    // Out of line in the page (build-wasm.sh keeps wasm-opt from inlining
    // it back): one argument at each refusal site, not three.
    #[inline(never)]
    pub fn error(self) -> Error {
        self.with(&[])
    }

    /// The error: the message's id and its parts, which raw.js puts in the
    /// template's `{}` in order (a missing part leaves nothing, one past
    /// the last `{}` is dropped, as the full build's `fill` does).
    pub fn with(self, parts: &[&str]) -> Error {
        Error::parts(self.0 as u8, (self.0 >> 8) as u8, parts) // ok: its two bytes
    }
}

#[cfg(not(all(target_arch = "wasm32", not(feature = "server"))))]
impl Message {
    /// The code the message is raised with.
    pub fn code(self) -> ErrorCode {
        ErrorCode::at(self.split().0)
    }

    /// The code's index in `ErrorCode::ALL` (what an `Error` keeps) and
    /// the stored text: one boundary test for both.
    fn split(self) -> (u8, &'static str) {
        let (code, stored) = self.0.split_at_checked(1).unwrap_or_default();
        (code.as_bytes().first().copied().unwrap_or_default(), stored)
    }

    /// The text, `{}` where a variable part goes.
    pub fn template(self) -> String {
        self.stored().replace(char::from(HOLE), "{}")
    }

    /// The text as stored, a `HOLE` byte where a variable part goes.
    fn stored(self) -> &'static str {
        self.split().1
    }

    /// The error, its template whole (a message with no `{}`).
    pub fn error(self) -> Error {
        self.with(&[])
    }

    /// The error, each `{}` of the template filled with the next of
    /// `parts` (a missing part leaves nothing).
    pub fn with(self, parts: &[&str]) -> Error {
        let (code, stored) = self.split();
        Error::of(code, fill(stored, parts))
    }
}

#[cfg(not(all(target_arch = "wasm32", not(feature = "server"))))]
impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.template())
    }
}

#[cfg(not(all(target_arch = "wasm32", not(feature = "server"))))]
/// `stored` (a stored template) with each `HOLE` replaced by the next of
/// `parts`. One loop over the bytes: no `str` searching in the module.
fn fill(stored: &str, parts: &[&str]) -> String {
    let mut text = String::new();
    let (mut parts, mut rest) = (parts, stored);
    while let Some((before, after)) = split_at_byte(rest, HOLE) {
        text.push_str(before);
        if let [part, others @ ..] = parts {
            text.push_str(part);
            parts = others;
        }
        rest = after;
    }
    text.push_str(rest);
    text
}

/// Shorthand for `Err(message.error())`.
pub(crate) fn refuse<T>(message: Message) -> Result<T> {
    Err(message.error())
}

// Grouped by the modules that raise them: first those the page build
// compiles (every code one it names), then the server's, which it does not.
messages! {
    PAGE, true;
    // page: the boundary (wasm/raw.rs, wasm/record.rs)
    PageTextTooLong = InputTooLarge "a text passed to partner-oauth/page is longer than 16,777,216 characters",
    #[full_only] NotAString = InvalidArgument "{} must be a string",
    ClientFreed = InvalidArgument "this client was freed (free() was called)",

    // callback: callback.rs, pending.rs, state.rs, keys.rs
    StateKeyCount = InvalidConfig "stateKey must hold 1 to 8 keys",
    StateKeyShort = InvalidConfig "every stateKey must be at least 32 bytes long",
    CallbackTooLong = InputTooLarge "the callback URL is longer than 16384 characters",
    CallbackNotUrl = InvalidCallback "the callback is not a valid http(s) URL",
    CallbackInFragment = InvalidCallback "the response arrived in the URL fragment; this library reads the query (response_mode=query)",
    CallbackWithoutParameters = InvalidCallback "the callback carries no code, state or error parameter",
    CallbackControlCharacters = InvalidCallback "a callback parameter contains control characters",
    CallbackNotUtf8 = InvalidCallback "a callback parameter is not UTF-8 once percent-decoded",
    CallbackDuplicateParameter = InvalidCallback "a callback parameter appears more than once (RFC 6749 §3.1)",
    // Unreachable with buffers sized by `callback_buffers`.
    CallbackNoRoom = InvalidCallback "the callback does not fit the buffers given",
    CallbackWithoutState = StateMismatch "the callback carries no state",
    CallbackStateOfAnotherFlow = StateMismatch "the callback's state is not the one this flow sent",
    CallbackIssOfAnotherIssuer = IssuerMismatch "the callback's iss is not the expected issuer (RFC 9207)",
    CallbackWithoutIss = IssuerMismatch "the callback carries no iss, and this issuer sends one (RFC 9207)",
    CallbackWithoutCode = MissingCode "the callback carries neither a code nor an error",
    ConsentRefused = AccessDenied "the user refused consent",
    AuthorizationRefused = AuthorizationError "the authorization server returned an error",
    #[full_only] ExchangeStateOfAnotherFlow = StateMismatch "the callback's state is not the one this pending flow sent",
    #[full_only] ExchangeWithoutState = InvalidArgument "exchanging a code needs the callback's state (pass parseCallback's result), or { skipStateCheck: true }",
    // Why a pending value is usually missing, for the one who must find out.
    PendingMissing = MissingPending "no pending value for this callback: it was stored in another tab or origin (localhost and 127.0.0.1 are two), already used, or its storage expired; start the flow again",
    PendingTooLong = InputTooLarge "the pending value is longer than 8192 characters",
    PendingNotOurs = InvalidPending "the pending value is not one this library made",
    PendingUnsealed = InvalidPending "the pending value is not sealed, but a stateKey is set",
    PendingSealBroken = InvalidPending "the pending value's seal does not verify: it was altered or sealed with another key",
    PendingNotBase64url = InvalidPending "the pending value is not base64url",
    PendingMalformed = InvalidPending "the pending value is malformed",
    PendingFieldTooLong = InputTooLarge "a pending field is too long",
    // The preset's name, then the environment's.
    PendingOfAnotherClient = ProviderMismatch "the pending value belongs to another provider, environment or client, not {} ({})",
    StateTooLong = InputTooLarge "the state is longer than 4096 characters",
    StatePayloadTooLarge = InputTooLarge "the state payload is larger than 2048 bytes",
    StateTooManyParts = InvalidState "the state has more than two parts",
    StateUnsigned = InvalidState "the state is not signed, but a stateKey is set",
    StateSignatureBroken = InvalidState "the state's signature does not verify: it was forged or altered",
    StateNotBase64url = InvalidState "the state is not base64url",
    StateTruncated = InvalidState "the state is truncated",
    StateUnknownVersion = InvalidState "the state has an unknown version",
    StatePayloadNotUtf8 = InvalidState "the state payload is not UTF-8",
    StateTrailingBytes = InvalidState "the state has trailing bytes",
    StateFromTheFuture = InvalidState "the state was created in the future",
    // The maximum age in seconds, then "s" unless it is 1.
    FlowExpired = StateExpired "the authorization flow is older than {} second{}",

    // start and construction: client.rs, options.rs, preset.rs, urls.rs,
    // authorize.rs, pkce.rs, random.rs
    // urls::check's: the caller's code replaces this one (`Error::recoded`)
    UrlNotAbsolute = InvalidConfig "{} is not an absolute http(s) URL in ASCII",
    UrlWithUserinfo = InvalidConfig "{} must not contain user:password@",
    UrlWithFragment = InvalidConfig "{} must not contain a #fragment",
    UrlNotHttps = InvalidConfig "{} must use https (http is allowed only on a loopback host)",
    SecretInPage = SecretInBrowser "a clientSecret was given to a client in a browser page; exchange codes on a server (Worker, Node) instead",
    StateKeyInPage = SecretInBrowser "a stateKey was given to a client in a browser page, where anyone can read it; sign states on a server, or omit it (the page's pending value binds the flow)",
    ProviderUnknown = UnknownProvider "provider must be one of: {}",
    EnvironmentUnknown = UnknownEnvironment "{} environments are: {}",
    ClientIdInvalid = InvalidConfig "clientId must be 1 to 512 characters with no control characters",
    ClientSecretEmpty = InvalidConfig "clientSecret is empty",
    StateMaxAgeRange = InvalidConfig "stateMaxAge must be 1 to 86400 seconds",
    TimeoutRange = InvalidConfig "timeoutMs must be 1 to 300000",
    RedirectUriQuery = InvalidRedirectUri "{} does not allow query parameters in redirectUri: carry them in the state payload",
    AuthorizeParamTaken = InvalidConfig "preset.authorizeParams.{} is already sent (by the library, a token kind or another of its names) and cannot be repeated",
    #[full_only] EndpointUndocumented = MissingEndpoint "no source documents the {} endpoint of {} ({}): pass endpoints.{}",
    #[full_only] GrantUnsupported = UnsupportedGrant "{} does not support {}",
    #[full_only] OptionsNotJson = InvalidConfig "{} must be a JSON object",
    #[full_only] OptionsNotObject = InvalidConfig "{} must be an object",
    #[full_only] OptionRequired = InvalidConfig "{}.{} is required",
    #[full_only] OptionNotString = InvalidConfig "{}.{} must be a string",
    #[full_only] OptionNotBool = InvalidConfig "{}.{} must be true or false",
    #[full_only] OptionNotWhole = InvalidConfig "{}.{} must be a whole, non-negative number",
    #[full_only] OptionWholeTooLarge = InvalidConfig "{}.{} must be a whole number in range",
    #[full_only] OptionNotNumber = InvalidConfig "{}.{} must be a number",
    #[full_only] OptionNegative = InvalidConfig "{}.{} must be a non-negative number",
    #[full_only] OptionNotStrings = InvalidConfig "{}.{} must be a list of strings",
    #[full_only] OptionNotStringMap = InvalidConfig "{}.{} must be an object of strings",
    #[full_only] OptionNotChoice = InvalidConfig "{}.{} must be one of: {}",
    #[full_only] OptionNotChoices = InvalidConfig "{}.{} must be a list of: {}",
    #[full_only] OptionUnknown = InvalidConfig "{}: unknown option \"{}\"",
    #[full_only] OptionUnknownUnnamed = InvalidConfig "{}: an unknown option (its name is not shown)",
    RedirectUriMissing = InvalidConfig "redirectUri is required to start an authorization",
    TokenKindUnknown = InvalidArgument "tokenKind must be one of: {}",
    TokenKindsNone = InvalidArgument "{} has no token kinds; omit tokenKind",
    ScopesTooMany = InvalidArgument "more than 100 scopes",
    ScopeInvalid = InvalidArgument "each scope must be non-empty printable ASCII without spaces, quotes, backslashes or the scope separator (RFC 6749 §3.3)",
    ParamRepeated = InvalidArgument "params.{} is already sent (by the library, the preset or another param) and cannot be repeated",
    VerifierInvalid = InvalidArgument "a PKCE verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1)",
    RandomNone = RandomUnavailable "the platform could not supply random bytes",
    // `NotAString` whole, for the page's five texts: raw.js' table holds
    // these words already, the page wasm then none of them (appended: the
    // ids above stay).
    ClientOptionsNotAString = InvalidArgument "the client options must be a string",
    StartOptionsNotAString = InvalidArgument "the start options must be a string",
    CallbackNotAString = InvalidArgument "the callback URL must be a string",
    PendingNotAString = InvalidArgument "the pending value must be a string",
    VerifierNotAString = InvalidArgument "the PKCE verifier must be a string",
    // The page's `GrantUnsupported` and `EndpointUndocumented`, whole (it
    // asks for nothing else).
    CodeGrantUnsupported = UnsupportedGrant "{} does not support the authorization code grant",
    AuthorizeEndpointUndocumented = MissingEndpoint "no source documents the authorize endpoint of {} ({}): pass endpoints.authorize",

}

#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
messages! {
    SERVER, false;
    // server: request.rs, response.rs, token.rs, dialect.rs, json.rs,
    // jwt.rs, providers, and the full build's bindings (wasm/*.rs but raw.rs
    // and record.rs)
    PublicClientWithoutPkce = InvalidConfig "a public client (no clientSecret) must use PKCE",
    CodeNeedsSecret = InvalidConfig "{} has no PKCE, so exchanging its code needs the clientSecret (exchange on your server, which keeps it)",
    PendingWithoutVerifier = InvalidPending "the pending value carries no PKCE verifier, and this provider uses PKCE",
    CodeWithoutRedirectUri = InvalidConfig "redirectUri is required to exchange an authorization code",
    CodeWithAnotherRedirectUri = InvalidConfig "the flow started with another redirectUri than this client's: the provider would refuse the code (RFC 6749 §4.1.3); exchange it with a client configured with the flow's",
    CredentialsWithoutSecret = InvalidConfig "client credentials need a clientSecret",
    RevocationHintUnknown = InvalidArgument "the revocation hint must be access_token or refresh_token",
    ApiPathNotAbsolute = InvalidArgument "an API path must start with a single / (the token is sent only to the API's host)",
    ApiPathEncodedSeparator = InvalidArgument "an API path must not contain an encoded / or \\ (%2F, %5C)",
    ApiPathDotSegment = InvalidArgument "an API path must not contain . or .. segments (in any encoding)",
    ApiPathLeavesOrigin = InvalidArgument "the API path leaves the API's origin",
    BearerCharacters = InvalidArgument "the access token holds characters a Bearer token cannot (RFC 6750 b64token)",
    BodyTooLarge = InputTooLarge "the response body is larger than 1 MiB",
    BodyNotObject = InvalidResponse "the response body is not a JSON object",
    SuccessOfAnotherShape = InvalidResponse "the response is not what this operation returns",
    HttpErrorWithoutOAuthError = HttpError "the server answered with an HTTP error and no OAuth error",
    ApiRefusedRequest = HttpError "the API refused the request",
    RedirectNotFollowed = UnexpectedRedirect "the endpoint answered with a redirect, which is never followed",
    GrantRefused = InvalidGrant "the code or refresh token was refused",
    ClientAuthFailed = InvalidClient "client authentication failed",
    AccessTokenRefused = InvalidToken "the access token was refused",
    OAuthErrorAnswered = TokenError "the server returned an OAuth error",
    BearerTokenRefused = InvalidToken "the API refused the access token",
    BearerChallengeError = HttpError "the API refused the access token",
    AccessTokenNotB64token = InvalidResponse "the access_token is not an RFC 6750 b64token (CR, LF, space, ...)",
    NoAccessToken = InvalidResponse "the response is not an OAuth token: no access_token",
    AnswerOfAnotherKind = InvalidResponse "{}",
    FieldNotString = InvalidResponse "{} is not a string",
    RefreshTokenNotPrintable = InvalidResponse "the refresh_token holds characters outside printable ASCII",
    ExpiresInOutOfRange = InvalidResponse "expires_in is not a number of seconds or an epoch time in range",
    ScopeListNonString = InvalidResponse "scope list holds a non-string",
    IntrospectionWithoutActive = InvalidResponse "the introspection response has no boolean `active` (RFC 7662 §2.2)",
    JwtTooLong = InputTooLarge "the JWT is longer than 16384 characters",
    JwtNotThreeParts = InvalidJwt "a JWT has three dot-separated parts",
    JwtSignatureNotB64url = InvalidJwt "the JWT signature is not base64url",
    JwtPartNotObject = InvalidJwt "the JWT header or payload is not a base64url JSON object",
    JwtCritical = InvalidJwt "the JWT's crit names extensions this library does not understand",
    JwtAlgNotAllowed = AlgorithmNotAllowed "the JWT's alg is none or not allowed",
    PemNotOneBlock = InvalidConfig "a PEM key must be one PUBLIC KEY block",
    PemNotBase64 = InvalidConfig "the PEM key is not base64",
    RsaKeyShort = InvalidConfig "the key is an RSA key shorter than 2048 bits (RFC 8725)",
    JwtTypMismatch = InvalidJwt "the JWT's typ is not the expected one",
    JwtTimeNotNumber = InvalidJwt "the JWT's exp or nbf is not a time",
    JwtWithoutExp = InvalidJwt "the JWT has no exp",
    JwtExpired = TokenExpired "the JWT has expired (exp)",
    JwtNotYetValid = TokenNotYetValid "the JWT is not valid yet (nbf)",
    JwtIssuerMismatch = IssuerMismatch "the JWT's iss is not the expected issuer",
    JwtAudienceMismatch = AudienceMismatch "the JWT's aud does not name the expected audience (none is, when it names one)",
    JwtLacksScope = InsufficientScope "the JWT lacks the scope {}",
    NotPlainJson = InvalidConfig "{} must be a plain object of JSON values",
    TokenRequired = InvalidArgument "a token object or string is required",
    TokenLacks = InvalidArgument "the token has no {}",
    ResponseRequired = InvalidArgument "a response { status, body } is required",
    StatusNotHttp = InvalidArgument "response.status must be an HTTP status",
    ExchangeWithoutCode = InvalidArgument "exchangeCode needs the callback's code",
    Hs256WithPublicKey = AlgorithmNotAllowed "HS256 does not fit a public key",
    JwksWithoutKeyForAlg = KeyNotFound "the JWK Set holds no key for the JWT's alg",
    JwtAlgFitsNoKey = AlgorithmNotAllowed "the JWT's alg fits no key in the JWK Set",
    JwksNotASet = InvalidResponse "the JWKS URL did not return a JWK Set",
    NoKeyFits = KeyNotFound "no key fits the JWT's kid and alg",
    KeyNotImported = InvalidConfig "the key could not be imported for this algorithm",
    SignatureNotVerified = InvalidSignature "the JWT's signature does not verify",
    ClaimsUnreadable = InvalidJwt "claims",
    KeysMissing = InvalidConfig "give key (JWK or PEM) or jwks (JWK Set or URL)",
    AlgorithmsUnknown = InvalidConfig "algorithms must list some of RS256, PS256, ES256, HS256",
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message, in declaration order.
    const ALL: [&[(&str, ErrorCode, Message, bool)]; 2] = [PAGE, SERVER];

    fn table() -> String {
        ALL.iter()
            .flat_map(|group| group.iter())
            .map(|(name, _, m, _)| format!("{name}\t{}\t{}\n", m.code().as_str(), m.template()))
            .collect()
    }

    // The texts are what callers match on and what the tests pin: a change
    // shows in review as a change of `tests/messages.tsv`.
    #[test]
    fn frozen_table() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/messages.tsv");
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(path, table()).unwrap(); // ok: a test writing its own frozen file
        }
        let frozen = std::fs::read_to_string(path).unwrap_or_default();
        assert_eq!(table(), frozen, "a message changed: BLESS=1 if meant");
    }

    const JS_BEGIN: &str = "// <generated> by src/core/messages.rs (`page_table_is_generated`) from the `messages!` declarations: edit there, then run `BLESS=1 cargo test --lib messages`";
    const JS_END: &str = "// </generated>";

    /// raw.js' table: each `PAGE` message's template at its id (its place
    /// in the group), split at its `{}` (raw.js runs no `split`), `[""]`
    /// for a `#[full_only]` one (an empty message, still an OAuthError).
    fn page_table() -> String {
        let entries: Vec<String> = PAGE
            .iter()
            .map(|(_, _, m, raised)| match raised {
                true => format!("{:?}", m.template().split("{}").collect::<Vec<_>>()),
                false => "[\"\"]".to_owned(),
            })
            .collect();
        format!(
            "/** The page build's messages at their id (raw.rs' `failed`), split where raw.js puts each part. */\nexport const PAGE_MESSAGES = [{}];\n",
            entries.join(", ")
        )
    }

    // The page's table is these declarations: a change shows as a drift.
    #[test]
    fn page_table_is_generated() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/pkg-template/error-codes.js");
        let text = std::fs::read_to_string(path).unwrap();
        let start = text.find(JS_BEGIN).unwrap() + JS_BEGIN.len() + 1;
        let stop = start + text[start..].find(JS_END).unwrap();
        let expected = page_table();
        if std::env::var_os("BLESS").is_some() {
            let rewritten = [&text[..start], &expected, &text[stop..]].concat();
            std::fs::write(path, rewritten).unwrap(); // ok: a test writing its own generated region
            return;
        }
        assert_eq!(
            &text[start..stop],
            expected,
            "BLESS=1 cargo test --lib messages"
        );
    }

    #[test]
    fn each_template_is_declared_once() {
        let mut seen = std::collections::HashSet::new();
        for (name, _, m, _) in ALL.iter().flat_map(|group| group.iter()) {
            assert!(
                seen.insert((m.code(), m.template())),
                "{name} repeats another message"
            );
        }
    }

    #[test]
    fn parts_fill_the_placeholders_in_order() {
        // As `tagged` stores a template.
        let fill = |template: &str, parts: &[&str]| fill(&template.replace("{}", "\u{1}"), parts);
        assert_eq!(fill("a {} b {}.", &["x", "é"]), "a x b é.");
        assert_eq!(fill("{}{}", &["x", "y"]), "xy");
        assert_eq!(fill("({a, b}) {}", &["z"]), "({a, b}) z");
        assert_eq!(fill("{} and {}", &["x"]), "x and ");
        assert_eq!(fill("trailing {", &[]), "trailing {");
        let taken = Message::AuthorizeParamTaken;
        assert_eq!(
            taken.with(&["x"]).message(),
            "preset.authorizeParams.x is already sent (by the library, a token kind or another of its names) and cannot be repeated"
        );
        let page = Message::PageTextTooLong;
        assert_eq!(page.error().message(), page.template());
        assert_eq!(page.error().code(), ErrorCode::InputTooLarge);
    }

    // Each `{}` is stored as one HOLE, and nothing else is.
    #[test]
    fn a_stored_template_is_its_text_with_holes() {
        for (name, _, m, _) in ALL.iter().flat_map(|group| group.iter()) {
            let template = m.template();
            assert_eq!(m.stored(), template.replace("{}", "\u{1}"), "{name}");
            assert_eq!(holes(&template), template.matches("{}").count(), "{name}");
        }
    }

    #[test]
    fn no_template_is_empty() {
        for (name, _, m, _) in ALL.iter().flat_map(|group| group.iter()) {
            assert!(!m.template().is_empty(), "{name}");
        }
    }

    // The code rides as the template's first byte: each reads back as declared.
    #[test]
    fn each_message_raises_its_declared_code() {
        for (name, code, m, _) in ALL.iter().flat_map(|group| group.iter()) {
            assert_eq!(m.code(), *code, "{name}");
            assert_eq!(m.error().code(), *code, "{name}");
        }
        assert!(
            ErrorCode::ALL.len() < 128,
            "a code's index is one ASCII byte"
        );
    }
}
