//! The state decoder, the pending unsealer and reader, and the base64url
//! decoder as they were at 6c6dda3, before the callback read into one byte
//! buffer (`state::read`, `Pending::unseal_into`, `b64url_decode_into`).
//! `core::oracle` decodes with these alone, so `callback_diff` compares the
//! new decoders too, not the new ones with themselves.

use crate::core::client::Client;
use crate::core::error::{fail, ErrorCode, Result};
use crate::core::keys::{Purpose, StateKeys};
use crate::core::pending::{Pending, PendingView};
use crate::core::state::StateData;
use crate::core::text::{decimal, Joined};

/// `callback::MISSING_PENDING` as it was (now `Message::PendingMissing`).
const MISSING_PENDING: &str = "no pending value for this callback: it was stored in another tab or origin (localhost and 127.0.0.1 are two), already used, or its storage expired; start the flow again";

// The constants as they were (state.rs, pending.rs): a change to the new
// ones shows as a disagreement.
const VERSION: u8 = 1;
const FLAG_PAYLOAD: u8 = 1;
const PAYLOAD_MAX: usize = 2048;
const STATE_MAX: usize = 4096;
const FUTURE_SKEW_SECS: u64 = 300;
const PREFIX: &str = "p2.";
const PENDING_MAX: usize = 8192;

/// `state::decode` as it was.
pub fn decode_state(
    state: &str,
    keys: Option<&StateKeys>,
    now: u64,
    max_age: u64,
) -> Result<StateData> {
    if state.len() > STATE_MAX {
        return fail(
            ErrorCode::InputTooLarge,
            "the state is longer than 4096 characters",
        );
    }
    let mut parts = state.split('.');
    let (body_text, signature) = (parts.next().unwrap_or_default(), parts.next());
    if parts.next().is_some() {
        return invalid_state("the state has more than two parts");
    }
    if let Some(keys) = keys {
        let Some(tag) = signature.and_then(b64url_decode) else {
            return invalid_state("the state is not signed, but a stateKey is set");
        };
        if !keys.verify(Purpose::State, body_text.as_bytes(), &tag) {
            return invalid_state(
                "the state's signature does not verify: it was forged or altered",
            );
        }
    }
    let data = parse_state_body(body_text)?;
    check_age(data.created_at, now, max_age)?;
    Ok(data)
}

fn parse_state_body(body_text: &str) -> Result<StateData> {
    let Some(body) = b64url_decode(body_text) else {
        return invalid_state("the state is not base64url");
    };
    let Some((&[version, flags], rest)) = body.split_first_chunk::<2>() else {
        return invalid_state("the state is truncated");
    };
    let Some((created_at, rest)) = rest.split_first_chunk::<8>() else {
        return invalid_state("the state is truncated");
    };
    let Some((nonce, payload_bytes)) = rest.split_first_chunk::<16>() else {
        return invalid_state("the state is truncated");
    };
    if version != VERSION || flags & !FLAG_PAYLOAD != 0 {
        return invalid_state("the state has an unknown version");
    }
    if payload_bytes.len() > PAYLOAD_MAX {
        return fail(
            ErrorCode::InputTooLarge,
            "the state payload is larger than 2048 bytes",
        );
    }
    let payload = if flags == FLAG_PAYLOAD {
        match std::str::from_utf8(payload_bytes) {
            Ok(text) => Some(text.to_owned()),
            Err(_) => return invalid_state("the state payload is not UTF-8"),
        }
    } else if payload_bytes.is_empty() {
        None
    } else {
        return invalid_state("the state has trailing bytes");
    };
    Ok(StateData {
        created_at: u64::from_be_bytes(*created_at),
        nonce: *nonce,
        payload,
    })
}

/// `state::check_age` as it was.
pub fn check_age(created_at: u64, now: u64, max_age: u64) -> Result<()> {
    if created_at > now.saturating_add(FUTURE_SKEW_SECS) {
        return invalid_state("the state was created in the future");
    }
    // The flow's end as the core defines it since review 66 (review 68, I1).
    if now >= crate::core::state::expires_at(created_at, max_age) {
        return fail(
            ErrorCode::StateExpired,
            [
                "the authorization flow is older than ",
                &decimal(max_age),
                if max_age == 1 { " second" } else { " seconds" },
            ]
            .cat(),
        );
    }
    Ok(())
}

fn invalid_state<T>(message: &str) -> Result<T> {
    fail(ErrorCode::InvalidState, message)
}

/// `Pending::open` as it was.
pub fn open_pending(text: &str, keys: Option<&StateKeys>) -> Result<Pending> {
    let bytes = unseal(text, keys)?;
    read_pending(&bytes).map(|view| view.to_owned())
}

/// `Client::unseal_pending` as it was.
pub fn unseal_pending(client: &Client, pending: &str) -> Result<Vec<u8>> {
    if pending.is_empty() {
        return fail(ErrorCode::MissingPending, MISSING_PENDING);
    }
    unseal(pending, client.keys.as_ref())
}

/// `Client::pending_view` as it was.
pub fn pending_view<'a>(client: &Client, bytes: &'a [u8]) -> Result<PendingView<'a>> {
    let pending = read_pending(bytes)?;
    if pending.provider != client.preset.name
        || pending.client_id != client.client_id
        || pending.environment != client.environment
    {
        return fail(
            ErrorCode::ProviderMismatch,
            [
                "the pending value belongs to another provider, environment or client, not ",
                client.preset.name,
                " (",
                client.environment,
                ")",
            ]
            .cat(),
        );
    }
    Ok(pending)
}

/// `Pending::unseal` as it was.
fn unseal(text: &str, keys: Option<&StateKeys>) -> Result<Vec<u8>> {
    if text.len() > PENDING_MAX {
        return fail(
            ErrorCode::InputTooLarge,
            "the pending value is longer than 8192 characters",
        );
    }
    let Some(rest) = text.strip_prefix(PREFIX) else {
        return invalid_pending("the pending value is not one this library made");
    };
    let (body, tag) = match rest.split_once('.') {
        Some((body, tag)) => (body, Some(tag)),
        None => (rest, None),
    };
    if let Some(keys) = keys {
        let signed = text.get(..PREFIX.len() + body.len()).unwrap_or_default();
        let Some(tag) = tag.and_then(b64url_decode) else {
            return invalid_pending("the pending value is not sealed, but a stateKey is set");
        };
        if !keys.verify(Purpose::Pending, signed.as_bytes(), &tag) {
            return invalid_pending("the pending value's seal does not verify: it was altered or sealed with another key");
        }
    }
    match b64url_decode(body) {
        Some(bytes) => Ok(bytes),
        None => invalid_pending("the pending value is not base64url"),
    }
}

/// `PendingView::read` as it was.
fn read_pending(bytes: &[u8]) -> Result<PendingView<'_>> {
    read_fields(bytes)
        .ok_or(())
        .or_else(|()| invalid_pending("the pending value is malformed"))
}

fn read_fields(bytes: &[u8]) -> Option<PendingView<'_>> {
    let (created_at, mut rest) = bytes.split_first_chunk::<8>()?;
    let mut next = || -> Option<Option<&str>> {
        let (len, after) = rest.split_first_chunk::<2>()?;
        let len = u16::from_be_bytes(*len);
        if len == u16::MAX {
            rest = after;
            return Some(None);
        }
        let (text, after) = after.split_at_checked(usize::from(len))?;
        rest = after;
        Some(Some(std::str::from_utf8(text).ok()?))
    };
    let pending = PendingView {
        created_at: u64::from_be_bytes(*created_at),
        provider: next()??,
        client_id: next()??,
        environment: next()??,
        state: next()??,
        redirect_uri: next()??,
        verifier: next()?,
        token_kind: next()?,
    };
    rest.is_empty().then_some(pending)
}

fn invalid_pending<T>(message: &str) -> Result<T> {
    fail(ErrorCode::InvalidPending, message)
}

/// `encoding::b64url_decode` as it was: unpadded base64url, strict.
pub fn b64url_decode(text: &str) -> Option<Vec<u8>> {
    decode(text, true)
}

const URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A symbol's 6 bits, or `None` outside the alphabet.
fn morsel(symbol: u8, url: bool) -> Option<u32> {
    let value = SYMBOLS.get(usize::from(symbol)).copied().unwrap_or(NONE);
    match value {
        0..64 => Some(u32::from(value)),
        _ if value != NONE && (value & URL_ONLY != 0) == url => Some(u32::from(value & 63)),
        _ => None,
    }
}

static SYMBOLS: [u8; 256] = symbols();
const NONE: u8 = 0xff;
const URL_ONLY: u8 = 0x40;
const STANDARD_ONLY: u8 = 0x80;

const fn symbols() -> [u8; 256] {
    let mut table = [NONE; 256];
    let mut i = 0;
    while i < 62 {
        table[URL[i] as usize] = i as u8;
        i += 1;
    }
    table[b'-' as usize] = 62 | URL_ONLY;
    table[b'_' as usize] = 63 | URL_ONLY;
    table[b'+' as usize] = 62 | STANDARD_ONLY;
    table[b'/' as usize] = 63 | STANDARD_ONLY;
    table
}

fn decode(text: &str, url: bool) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if bytes.is_empty() {
        return Some(Vec::new());
    }
    let symbols = without_padding(bytes);
    let padded = symbols.len() < bytes.len();
    if (url && padded) || (!url && bytes.len() % 4 != 0) {
        return None;
    }
    // The last group of four (or the 1–3 symbols after the last full
    // group) must hold at least two symbols, padding after them only.
    let last_group = bytes.len() - ((bytes.len() - 1) % 4 + 1);
    if symbols.len() < last_group + 2 {
        return None;
    }
    let mut out = vec![0u8; symbols.len() / 4 * 3 + (symbols.len() % 4).saturating_sub(1)];
    let mut groups = symbols.chunks_exact(4);
    let mut dst = out.chunks_exact_mut(3);
    for (group, slot) in (&mut groups).zip(&mut dst) {
        if let ([a, b, c, d], [x, y, z]) = (group, slot) {
            let n = morsel(*a, url)? << 18
                | morsel(*b, url)? << 12
                | morsel(*c, url)? << 6
                | morsel(*d, url)?;
            (*x, *y, *z) = ((n >> 16) as u8, (n >> 8) as u8, n as u8);
        }
    }
    // Bits past the last whole byte must be zero.
    match (groups.remainder(), dst.into_remainder()) {
        ([], []) => {}
        ([a, b], [x]) => {
            let n = morsel(*a, url)? << 6 | morsel(*b, url)?;
            if n & 0xf != 0 {
                return None;
            }
            *x = (n >> 4) as u8;
        }
        ([a, b, c], [x, y]) => {
            let n = morsel(*a, url)? << 12 | morsel(*b, url)? << 6 | morsel(*c, url)?;
            if n & 0x3 != 0 {
                return None;
            }
            (*x, *y) = ((n >> 10) as u8, (n >> 2) as u8);
        }
        _ => return None,
    }
    Some(out)
}

/// `bytes` without its trailing `=`s.
fn without_padding(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().rposition(|b| *b != b'=').map_or(0, |i| i + 1);
    bytes.get(..end).unwrap_or_default()
}
