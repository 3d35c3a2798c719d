//! Today's (2026-12-03, 6c6dda3) callback reading, kept as the oracle the
//! `callback_diff` fuzz target compares `Client::parse_callback` with, the
//! way `url_diff` keeps the `url` crate: `form_urlencoded` for the query and
//! std's searching in the URL reader, and the state, pending value and
//! base64url decoded by [`decoders`], as they were. Fuzz and test builds
//! only (the `oracle` feature); never shipped.
#![allow(missing_docs, clippy::indexing_slicing)]

pub mod decoders;

use crate::core::callback::{Callback, CALLBACK_MAX};
use crate::core::client::Client;
use crate::core::ct;
use crate::core::error::{fail, Error, ErrorCode, Result};
use crate::core::names;
use crate::core::secret::Secret;
use crate::core::start_oracle::b64url;
use crate::core::urls::{Host, HttpUrl};
use std::borrow::Cow;

/// `Client::parse_callback` as it was.
pub fn parse_callback(
    client: &Client,
    callback: &str,
    pending: &str,
    now: u64,
) -> Result<Callback> {
    let bytes = decoders::unseal_pending(client, pending)?;
    let pending = decoders::pending_view(client, &bytes)?;
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
    decoders::check_age(pending.created_at, now, client.state_max_age)?;
    let data = decoders::decode_state(
        pending.state,
        client.keys.as_ref(),
        now,
        client.state_max_age,
    )?;

    let iss = get("iss").map(str::to_owned);
    // RFC 9207 §2.4: a client that expects an issuer refuses responses
    // without `iss` too, or a mix-up attacker would simply drop it.
    match (client.issuer(), &iss) {
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
    let code = match &client.overrides.code_params {
        Some(names) => names.iter().find_map(|name| get(name)),
        None => client.preset.code_params.iter().find_map(|name| get(name)),
    };
    match code {
        Some(code) if !code.is_empty() => Ok(Callback {
            code: Secret::new(code),
            state: pending.state.to_owned(),
            payload: data.payload,
            // `Pending::open` with keys refuses anything unsealed.
            payload_verified: client.keys.is_some(),
            iss,
            flow_id: b64url(&data.nonce),
            flow_expires_at: crate::core::state::expires_at(
                pending.created_at,
                client.state_max_age,
            ),
        }),
        _ => fail(
            ErrorCode::MissingCode,
            "the callback carries neither a code nor an error",
        ),
    }
}

fn callback_params(callback: &str) -> Result<CallbackParams<'_>> {
    if callback.len() > CALLBACK_MAX {
        return fail(
            ErrorCode::InputTooLarge,
            "the callback URL is longer than 16384 characters",
        );
    }
    // A whole URL: `://` before any `=` (a bare query's unencoded
    // `iss=https://…` follows one).
    let whole = callback
        .split('=')
        .next()
        .unwrap_or_default()
        .contains("://");
    let (query, fragment) = if !callback.starts_with('/') && whole {
        let Some(url) = url_parse(callback) else {
            return invalid("the callback is not a valid http(s) URL");
        };
        (url.query.unwrap_or_default(), url.fragment)
    } else {
        let (text, fragment) = match callback.split_once('#') {
            Some((text, fragment)) => (text, Some(fragment)),
            None => (callback, None),
        };
        // A path and its query (cold review 58, finding 1).
        let query = match text.strip_prefix('/') {
            Some(path) => path.split_once('?').map_or("", |(_, query)| query),
            None => text.strip_prefix('?').unwrap_or(text),
        };
        (query, fragment)
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
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        // Printable ASCII, the usual case, needs neither check below.
        let plain = |text: &str| text.bytes().all(|b| (0x20..0x7f).contains(&b));
        if !(plain(&name) && plain(&value)) {
            if value.chars().any(char::is_control) {
                return invalid("a callback parameter contains control characters");
            }
            // The decoder turns bytes that are not UTF-8 into U+FFFD; no
            // OAuth parameter holds one, so either way it is not valid.
            if name.contains('\u{FFFD}') || value.contains('\u{FFFD}') {
                return invalid("a callback parameter is not UTF-8 once percent-decoded");
            }
        }
        params.push((name, value));
    }
    let mut names: Vec<&str> = params.iter().map(|(name, _)| name.as_ref()).collect();
    if names::has_duplicates(&mut names) {
        return invalid("a callback parameter appears more than once (RFC 6749 §3.1)");
    }
    Ok(params)
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

/// Reads an absolute http(s) URL; `None` for anything else.
pub fn url_parse(text: &str) -> Option<HttpUrl<'_>> {
    // Printable ASCII only, and no backslash (WHATWG reads it as `/`).
    if !text.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') {
        return None;
    }
    let (scheme, rest) = text.split_once("://")?;
    let https = match scheme {
        s if s.eq_ignore_ascii_case("https") => true,
        s if s.eq_ignore_ascii_case("http") => false,
        _ => return None,
    };
    let (rest, fragment) = match rest.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (rest, None),
    };
    let (rest, query) = match rest.split_once('?') {
        Some((rest, query)) => (rest, Some(query)),
        None => (rest, None),
    };
    let (authority, path) = match rest.find('/') {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    let (has_userinfo, host_port) = match authority.rsplit_once('@') {
        Some((_, host_port)) => (true, host_port),
        None => (false, authority),
    };
    let (host, port) = host_and_port(host_port)?;
    Some(HttpUrl {
        https,
        has_userinfo,
        host,
        port,
        path,
        query,
        fragment,
    })
}

fn host_and_port(text: &str) -> Option<(Host<'_>, Option<u16>)> {
    let (host, port) = if let Some(inner) = text.strip_prefix('[') {
        let (ip, after) = inner.split_once(']')?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (Host::V6(ip.parse().ok()?), port)
    } else {
        let (name, port) = match text.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (text, None),
        };
        let valid = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
        // An `xn--` label is punycode: WHATWG decodes and validates it
        // (IDNA), which this reader does not do.
        let punycode = name.split('.').any(|label| {
            label
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case("xn--"))
        });
        if !valid || punycode {
            return None;
        }
        // WHATWG reads a host whose last label is a number as IPv4 (so
        // `0x7f.1` is 127.0.0.1 to fetch): we take only a dotted quad.
        let host = if ends_in_a_number(name) {
            Host::V4(name.parse().ok()?)
        } else {
            Host::Domain(name)
        };
        (host, port)
    };
    let port = match port {
        None => None,
        Some(p) if !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => {
            Some(p.parse().ok()?)
        }
        Some(_) => return None,
    };
    Some((host, port))
}

/// WHATWG's "ends in a number": the last label (a trailing dot ignored) is
/// decimal digits, or `0x` and hex digits.
fn ends_in_a_number(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    let last = host.rsplit('.').next().unwrap_or_default();
    let hex = last
        .strip_prefix("0x")
        .or_else(|| last.strip_prefix("0X"))
        .is_some_and(|digits| digits.bytes().all(|b| b.is_ascii_hexdigit()));
    hex || (!last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()))
}
