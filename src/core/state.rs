//! The `state` parameter: a 128-bit nonce, the creation time and an optional
//! caller payload, as base64url, optionally followed by `.` and an
//! HMAC-SHA256 signature. It contains only `A-Z a-z 0-9 - _ .`, so no `&`
//! (which a provider's callback truncates at), `=`, `+` or `%`.
//!
//! The payload is signed, never encrypted: the user and the provider can read
//! it. Put identifiers in it, never secrets.

use crate::core::encoding::{b64url_decode_into, push_be_u64};
use crate::core::error::Result;
use crate::core::keys::{encode_signed, Purpose, StateKeys};
use crate::core::messages::{refuse, Message};
#[cfg(not(all(target_arch = "wasm32", not(feature = "server"))))]
use crate::core::text::decimal;
use crate::core::text::{put, split_at_byte, utf8};

const VERSION: u8 = 1;
const FLAG_PAYLOAD: u8 = 1;
/// version + flags + created-at (u64) + nonce.
const HEADER_LEN: usize = 2 + 8 + 16;
/// The largest payload accepted, in bytes of UTF-8.
pub const PAYLOAD_MAX: usize = 2048;
/// The longest state accepted on a callback, in characters.
pub const STATE_MAX: usize = 4096;
/// How far in the future a state's creation time may lie (clock skew).
const FUTURE_SKEW_SECS: u64 = 300;

/// What a state carries, decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateData {
    /// When the flow started, in seconds since the epoch.
    pub created_at: u64,
    /// 128 random bits: what makes each state unguessable (RFC 6749 §10.12).
    pub nonce: [u8; 16],
    /// The caller's payload, readable by anyone who sees the URL.
    pub payload: Option<String>,
}

/// The state for `data`, signed under the first key when `keys` are given.
/// Refuses a payload over [`PAYLOAD_MAX`] bytes.
pub fn encode(data: &StateData, keys: Option<&StateKeys>) -> Result<String> {
    let payload = data.payload.as_deref();
    check_payload(payload)?;
    let mut out = Vec::new();
    push(data.created_at, &data.nonce, payload, keys, &mut out);
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// Refuses a payload over [`PAYLOAD_MAX`] bytes, which [`push`] takes
/// checked (a start checks it where its other checks are).
pub fn check_payload(payload: Option<&str>) -> Result<()> {
    match payload.is_some_and(|p| p.len() > PAYLOAD_MAX) {
        true => refuse(Message::StatePayloadTooLarge),
        false => Ok(()),
    }
}

/// As [`encode`], onto the end of `out` (ASCII), `payload` checked before:
/// a start writes its state once, into its URL.
// Page: LLVM inlines it into the start (why: `check_callback`).
#[cfg_attr(not(feature = "server"), inline(always))]
pub fn push(
    created_at: u64,
    nonce: &[u8; 16],
    payload: Option<&str>,
    keys: Option<&StateKeys>,
    out: &mut Vec<u8>,
) {
    let start = out.len();
    let flags = if payload.is_some() { FLAG_PAYLOAD } else { 0 };
    put(out, &[VERSION, flags]);
    push_be_u64(out, created_at);
    put(out, nonce);
    put(out, payload.unwrap_or_default().as_bytes());
    encode_signed(out, start, start, keys, Purpose::State);
}

/// Decodes a state. With `keys`, its signature must verify under one of them;
/// without, a signature is not checked (the caller compares the state with
/// the one it stored instead). Rejects states older than `max_age` seconds.
pub fn decode(state: &str, keys: Option<&StateKeys>, now: u64, max_age: u64) -> Result<StateData> {
    let mut buf = [0; DECODED_MAX];
    let view = read(state, keys, now, max_age, &mut buf)?;
    Ok(StateData {
        created_at: view.created_at,
        nonce: *view.nonce,
        payload: view.payload.map(str::to_owned),
    })
}

/// Bytes that hold any accepted state decoded (its signature too).
pub const DECODED_MAX: usize = STATE_MAX / 4 * 3;

/// What a state carries, borrowed from the buffer [`read`] decoded it into.
pub struct StateView<'b> {
    /// As [`StateData::created_at`].
    pub created_at: u64,
    /// As [`StateData::nonce`], where it was decoded (no copy).
    pub nonce: &'b [u8; 16],
    /// As [`StateData::payload`].
    pub payload: Option<&'b str>,
}

/// As [`decode`], into `buf`, no allocation: [`DECODED_MAX`] bytes, or as
/// many as `state` is long, always suffice.
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
// Page: LLVM inlines it into the callback (why: `check_callback`).
#[cfg_attr(not(feature = "server"), inline(always))]
pub fn read<'b>(
    state: &str,
    keys: Option<&StateKeys>,
    now: u64,
    max_age: u64,
    buf: &'b mut [u8],
) -> Result<StateView<'b>> {
    let data = open(state, keys, buf).map_err(Message::error)?;
    check_age(data.created_at, now, max_age)?;
    Ok(data)
}

/// As [`read`] without the age check, its refusal a message: its error is
/// made at one site, not at each of its exits.
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
// Page: LLVM inlines it into the callback (why: `check_callback`).
#[cfg_attr(not(feature = "server"), inline(always))]
fn open<'b>(
    state: &str,
    keys: Option<&StateKeys>,
    buf: &'b mut [u8],
) -> std::result::Result<StateView<'b>, Message> {
    if state.len() > STATE_MAX {
        return Err(Message::StateTooLong);
    }
    let (body_text, signature) = match split_at_byte(state, b'.') {
        Some((body, signature)) => (body, Some(signature)),
        None => (state, None),
    };
    // The shared splitter, out of line, not a scan loop of its own (page
    // -6 B gzip before the order).
    if signature.is_some_and(|s| split_at_byte(s, b'.').is_some()) {
        return Err(Message::StateTooManyParts);
    }
    if let Some(keys) = keys {
        // The signature is decoded where the body goes next.
        let Some(tag) = signature.and_then(|s| b64url_decode_into(s, buf)) else {
            return Err(Message::StateUnsigned);
        };
        if !keys.verify(Purpose::State, body_text.as_bytes(), tag) {
            return Err(Message::StateSignatureBroken);
        }
    }
    let Some(body) = b64url_decode_into(body_text, buf) else {
        return Err(Message::StateNotBase64url);
    };
    parse_body(body)
}

#[cfg_attr(partner_oauth_nightly, optimize(speed))]
// Page: LLVM inlines it into the callback (why: `check_callback`).
#[cfg_attr(not(feature = "server"), inline(always))]
fn parse_body(body: &[u8]) -> std::result::Result<StateView<'_>, Message> {
    // One length check for the header's three fields.
    let Some((header, payload_bytes)) = body.split_first_chunk::<HEADER_LEN>() else {
        return Err(Message::StateTruncated);
    };
    let [version, flags, a, b, c, d, e, f, g, h, ref nonce @ ..] = *header;
    let created_at = [a, b, c, d, e, f, g, h];
    if version != VERSION || flags & !FLAG_PAYLOAD != 0 {
        return Err(Message::StateUnknownVersion);
    }
    // Nothing this library makes carries more (a fuzzer found the gap).
    if payload_bytes.len() > PAYLOAD_MAX {
        return Err(Message::StatePayloadTooLarge);
    }
    let payload = if flags == FLAG_PAYLOAD {
        match utf8(payload_bytes) {
            Some(text) => Some(text),
            None => return Err(Message::StatePayloadNotUtf8),
        }
    } else if payload_bytes.is_empty() {
        None
    } else {
        return Err(Message::StateTrailingBytes);
    };
    Ok(StateView {
        created_at: u64::from_be_bytes(created_at),
        nonce,
        payload,
    })
}

/// The first second at which a flow created at `created_at` is refused as
/// too old (`check_age`). Ages are whole seconds, so a flow lives `max_age`
/// to `max_age + 1` seconds: reporting `created_at + max_age` let its
/// callback be accepted up to 999 ms past the reported end (review 66).
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
pub fn expires_at(created_at: u64, max_age: u64) -> u64 {
    created_at.saturating_add(max_age).saturating_add(1)
}

/// Seconds as milliseconds (f64 holds them exactly), for the page's
/// answers. Capped before the multiplication rather than `saturating_mul`
/// (a 128-bit multiply call): the cap, 18446744073709551000, and
/// `u64::MAX` both round to 2^64 as f64.
#[cfg(all(target_arch = "wasm32", not(feature = "server")))]
pub(crate) fn milliseconds(seconds: u64) -> f64 {
    (seconds.min(u64::MAX / 1000) * 1000) as f64
}

/// Rejects a flow older than `max_age`, or created implausibly far ahead.
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
// Page: inlined at the callback's two sites (page −3 B gzip).
#[cfg_attr(not(feature = "server"), inline(always))]
pub fn check_age(created_at: u64, now: u64, max_age: u64) -> Result<()> {
    if created_at > now.saturating_add(FUTURE_SKEW_SECS) {
        return refuse(Message::StateFromTheFuture);
    }
    if now >= expires_at(created_at, max_age) {
        let plural = if max_age == 1 { "" } else { "s" };
        // The page's raw.js writes the number (no `decimal` in its wasm).
        #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
        return Err(Message::FlowExpired.with(&["", plural]).number(max_age));
        #[cfg(not(all(target_arch = "wasm32", not(feature = "server"))))]
        return Err(Message::FlowExpired.with(&[&decimal(max_age), plural]));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // The texts as they were before `Message::FlowExpired`, byte for byte.
    #[test]
    fn the_expiry_message_is_unchanged() {
        for (max_age, text) in [
            (0, "the authorization flow is older than 0 seconds"),
            (1, "the authorization flow is older than 1 second"),
            (600, "the authorization flow is older than 600 seconds"),
        ] {
            let error = check_age(0, 700, max_age).unwrap_err();
            assert_eq!(error.message(), text);
            assert_eq!(error.code(), crate::core::error::ErrorCode::StateExpired);
        }
    }
}
