//! The redirect back from the provider (RFC 6749 §4.1.2): read the code or
//! the error, and check the state against the pending value.

use crate::core::client::Client;
use crate::core::ct;
use crate::core::encoding::b64url;
use crate::core::error::{fail, Error, ErrorCode, Result};
use crate::core::names;
use crate::core::pending::{Pending, PendingView};
use crate::core::secret::Secret;
use crate::core::state;
use crate::core::text::{find_bytes, find_str, split_at_byte, Joined};
use crate::core::urls;
use std::borrow::Cow;

/// Why a pending value is usually missing, for the one who must find out.
pub const MISSING_PENDING: &str = "no pending value for this callback: it was stored in another tab or origin (localhost and 127.0.0.1 are two), already used, or its storage expired; start the flow again";

/// The longest callback URL accepted.
pub const CALLBACK_MAX: usize = 16_384;

/// A successful callback (RFC 6749 §4.1.2) whose state matched its pending
/// flow: the code to exchange and what the flow carried.
#[derive(Debug)]
pub struct Callback {
    /// The authorization code, to exchange at the token endpoint (§4.1.3).
    pub code: Secret,
    /// The `state` the provider returned, equal to the flow's.
    pub state: String,
    /// The payload given to [`Client::start_authorization`].
    pub payload: Option<String>,
    /// True when the pending value was sealed with a stateKey and its seal
    /// verified. False for an unsealed one: its payload and the flow's age
    /// are then only as trustworthy as wherever it was stored.
    pub payload_verified: bool,
    /// The `iss` parameter (RFC 9207), when the provider sent one.
    pub iss: Option<String>,
    /// Names this flow (its state's nonce). A pending value is single use:
    /// once a callback is parsed, delete it; to refuse a replayed callback
    /// across servers, record `flow_id` as used until `flow_expires_at`.
    pub flow_id: String,
    /// When the flow would expire anyway (seconds since the epoch).
    pub flow_expires_at: u64,
}

impl Client {
    /// Reads the redirect back from the provider (RFC 6749 §4.1.2): checks
    /// its `state` against `pending` in constant time, the flow's age, and
    /// `iss` when the preset expects one (RFC 9207); returns the code, or the
    /// provider's error (§4.1.2.1) as a typed error. `callback` is the full
    /// redirect URL, or just its query string.
    pub fn parse_callback(&self, callback: &str, pending: &str, now: u64) -> Result<Callback> {
        let bytes = self.unseal_pending(pending)?;
        let pending = self.pending_view(&bytes)?;
        let params = callback_params(callback)?;
        let get = |name: &str| param(&params, name);
        let error = get("error");

        match get("state") {
            // Some servers drop state on an error; the error still stands.
            None if error.is_some() => return Err(provider_error(&params)),
            None => return fail(ErrorCode::StateMismatch, "the callback carries no state"),
            Some(received) if !ct::eq(received.as_bytes(), pending.state.as_bytes()) => {
                return fail(
                    ErrorCode::StateMismatch,
                    "the callback's state is not the one this flow sent",
                );
            }
            Some(_) => {}
        }
        state::check_age(pending.created_at, now, self.state_max_age)?;
        let data = state::decode(pending.state, self.keys.as_ref(), now, self.state_max_age)?;

        let iss = get("iss").map(str::to_owned);
        // RFC 9207 §2.4: a client that expects an issuer refuses responses
        // without `iss` too, or a mix-up attacker would simply drop it.
        match (self.issuer(), &iss) {
            (Some(expected), Some(received)) if expected != received => {
                return fail(
                    ErrorCode::IssuerMismatch,
                    "the callback's iss is not the expected issuer (RFC 9207)",
                );
            }
            (Some(_), None) => {
                return fail(
                    ErrorCode::IssuerMismatch,
                    "the callback carries no iss, and this issuer sends one (RFC 9207)",
                );
            }
            _ => {}
        }
        if error.is_some() {
            return Err(provider_error(&params));
        }
        let code = match &self.overrides.code_params {
            Some(names) => names.iter().find_map(|name| get(name)),
            None => self.preset.code_params.iter().find_map(|name| get(name)),
        };
        match code {
            Some(code) if !code.is_empty() => Ok(Callback {
                code: Secret::new(code),
                state: pending.state.to_owned(),
                payload: data.payload,
                // `Pending::open` with keys refuses anything unsealed.
                payload_verified: self.keys.is_some(),
                iss,
                flow_id: b64url(&data.nonce),
                flow_expires_at: pending.created_at.saturating_add(self.state_max_age),
            }),
            _ => fail(
                ErrorCode::MissingCode,
                "the callback carries neither a code nor an error",
            ),
        }
    }

    /// Opens a pending value and checks it belongs to this client: same
    /// provider, client id and environment (a sandbox flow never finishes
    /// in production).
    pub fn open_pending(&self, pending: &str) -> Result<Pending> {
        let bytes = self.unseal_pending(pending)?;
        self.pending_view(&bytes).map(|view| view.to_owned())
    }

    pub(crate) fn unseal_pending(&self, pending: &str) -> Result<Vec<u8>> {
        if pending.is_empty() {
            return fail(ErrorCode::MissingPending, MISSING_PENDING);
        }
        Pending::unseal(pending, self.keys.as_ref())
    }

    /// The fields of an unsealed pending value, once checked to be this
    /// client's.
    pub(crate) fn pending_view<'a>(&self, bytes: &'a [u8]) -> Result<PendingView<'a>> {
        let pending = PendingView::read(bytes)?;
        if pending.provider != self.preset.name
            || pending.client_id != self.client_id
            || pending.environment != self.environment
        {
            return fail(
                ErrorCode::ProviderMismatch,
                [
                    "the pending value belongs to another provider, environment or client, not ",
                    self.preset.name,
                    " (",
                    self.environment,
                    ")",
                ]
                .cat(),
            );
        }
        Ok(pending)
    }
}

/// The callback's query parameters. Refuses duplicates (RFC 6749 §3.1), a
/// response in the fragment, and input that carries no OAuth parameter.
fn callback_params(callback: &str) -> Result<CallbackParams<'_>> {
    if callback.len() > CALLBACK_MAX {
        return fail(
            ErrorCode::InputTooLarge,
            "the callback URL is longer than 16384 characters",
        );
    }
    let (query, fragment) = if find_str(callback, "://").is_some() {
        let Some(url) = urls::parse(callback) else {
            return invalid("the callback is not a valid http(s) URL");
        };
        (url.query.unwrap_or_default(), url.fragment)
    } else {
        let text = callback.strip_prefix('?').unwrap_or(callback);
        match split_at_byte(text, b'#') {
            Some((query, fragment)) => (query, Some(fragment)),
            None => (text, None),
        }
    };
    let params = parse_pairs(query)?;
    let is_oauth = |p: &CallbackParams| {
        ["code", "state", "error", "authorization_code"]
            .iter()
            .any(|k| param(p, k).is_some())
    };
    if !is_oauth(&params) {
        let in_fragment = fragment
            .and_then(|f| parse_pairs(f).ok())
            .is_some_and(|p| is_oauth(&p));
        return invalid(if in_fragment {
            "the response arrived in the URL fragment; this library reads the query (response_mode=query)"
        } else {
            "the callback carries no code, state or error parameter"
        });
    }
    Ok(params)
}

/// Query parameters in their order; a name at most once. Borrowed from the
/// callback unless percent-decoding changed them (no `String` per parameter).
type CallbackParams<'a> = Vec<(Cow<'a, str>, Cow<'a, str>)>;

fn param<'a>(params: &'a CallbackParams, name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, value)| value.as_ref())
}

fn parse_pairs(query: &str) -> Result<CallbackParams<'_>> {
    let mut params = Vec::new();
    // application/x-www-form-urlencoded as `form_urlencoded::parse` reads
    // it (the `callback_diff` fuzz target compares them): `&`-separated,
    // empty pieces skipped, the name up to the first `=`.
    let mut rest = Some(query);
    while let Some(text) = rest {
        let piece;
        (piece, rest) = match split_at_byte(text, b'&') {
            Some((piece, after)) => (piece, Some(after)),
            None => (text, None),
        };
        if piece.is_empty() {
            continue;
        }
        let (name, value) = split_at_byte(piece, b'=').unwrap_or((piece, ""));
        let (name, value) = (form_decode(name), form_decode(value));
        // Printable ASCII, the usual case, needs neither check below.
        let plain = |text: &[u8]| text.iter().all(|b| (0x20..0x7f).contains(b));
        if !(plain(&name) && plain(&value)) {
            if has_control(&value) {
                return invalid("a callback parameter contains control characters");
            }
            // No OAuth parameter holds bytes that are not UTF-8, nor U+FFFD
            // (what a lenient decoder turns them into).
            if !(is_clean_utf8(&name) && is_clean_utf8(&value)) {
                return invalid("a callback parameter is not UTF-8 once percent-decoded");
            }
        }
        match (into_text(name), into_text(value)) {
            (Some(name), Some(value)) => params.push((name, value)),
            _ => return invalid("a callback parameter is not UTF-8 once percent-decoded"),
        }
    }
    let mut names: Vec<&str> = params.iter().map(|(name, _)| name.as_ref()).collect();
    if names::has_duplicates(&mut names) {
        return invalid("a callback parameter appears more than once (RFC 6749 §3.1)");
    }
    Ok(params)
}

/// `+` as a space and `%XX` as its byte; a `%` without two hex digits
/// stays. Borrowed when nothing changes.
fn form_decode(text: &str) -> Cow<'_, [u8]> {
    let bytes = text.as_bytes();
    if !bytes.iter().any(|&b| b == b'+' || b == b'%') {
        return Cow::Borrowed(bytes);
    }
    let hex = |b: Option<&u8>| match b {
        Some(&b @ b'0'..=b'9') => Some(b - b'0'),
        Some(&b @ b'a'..=b'f') => Some(b - b'a' + 10),
        Some(&b @ b'A'..=b'F') => Some(b - b'A' + 10),
        _ => None,
    };
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        at += 1;
        match b {
            b'+' => out.push(b' '),
            b'%' => match (hex(bytes.get(at)), hex(bytes.get(at + 1))) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    at += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
    }
    Cow::Owned(out)
}

/// Whether the text a lenient UTF-8 decoder makes of `bytes` holds a
/// control character (U+0000–001F, U+007F–009F): those survive any decoding
/// of their neighbours as themselves (ASCII, or `C2 80`–`C2 9F`).
fn has_control(bytes: &[u8]) -> bool {
    let mut previous = 0u8;
    bytes.iter().any(|&b| {
        let c1 = previous == 0xC2 && (0x80..=0x9F).contains(&b);
        previous = b;
        b < 0x20 || b == 0x7F || c1
    })
}

/// UTF-8 without U+FFFD.
fn is_clean_utf8(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok() && find_bytes(bytes, "\u{FFFD}".as_bytes()).is_none()
}

fn into_text(bytes: Cow<'_, [u8]>) -> Option<Cow<'_, str>> {
    match bytes {
        Cow::Borrowed(bytes) => std::str::from_utf8(bytes).ok().map(Cow::Borrowed),
        Cow::Owned(bytes) => String::from_utf8(bytes).ok().map(Cow::Owned),
    }
}

/// `error=access_denied` and every other authorization error (§4.1.2.1).
fn provider_error(params: &CallbackParams) -> Error {
    let error = param(params, "error").unwrap_or_default();
    let (code, message) = match error {
        "access_denied" => (ErrorCode::AccessDenied, "the user refused consent"),
        _ => (
            ErrorCode::AuthorizationError,
            "the authorization server returned an error",
        ),
    };
    Error::new(code, message).with_provider(Some(error), param(params, "error_description"))
}

fn invalid<T>(message: &str) -> Result<T> {
    fail(ErrorCode::InvalidCallback, message)
}

/// Before a code is exchanged: the callback's `state` must be the pending
/// flow's, compared in constant time. Without a state (a bare code) the
/// check is skipped only when the caller asks for it.
pub fn check_exchange_state(pending: &Pending, state: Option<&str>, skip: bool) -> Result<()> {
    match state {
        Some(state) if ct::eq(state.as_bytes(), pending.state.as_bytes()) => Ok(()),
        Some(_) => fail(
            ErrorCode::StateMismatch,
            "the callback's state is not the one this pending flow sent",
        ),
        None if skip => Ok(()),
        None => fail(
            ErrorCode::InvalidArgument,
            "exchanging a code needs the callback's state (pass parseCallback's result), or { skipStateCheck: true }",
        ),
    }
}
