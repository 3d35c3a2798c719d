//! The pending authorization: everything the callback needs to finish a flow
//! (state, PKCE verifier, redirect URI, …), as one opaque string the caller
//! stores — a cookie, sessionStorage, a server store — and hands back.
//!
//! With a `stateKey` it is sealed with HMAC-SHA256, so it can travel in a
//! cookie without being altered. Sealed is not encrypted: it holds the PKCE
//! verifier, so keep it where only this user's browser or your server sees it
//! (an HttpOnly cookie, sessionStorage).
//!
//! Format: `p2.` + base64url(created-at as 8 bytes, then each field as a
//! 2-byte length and its UTF-8) + `.` + base64url(MAC) when sealed. Binary,
//! not JSON: it is ours alone, and a callback reads it on every request.

use crate::core::encoding::{b64url_decode_into, push_be_u64};
use crate::core::error::Result;
use crate::core::keys::{encode_signed, Purpose, StateKeys};
use crate::core::messages::{refuse, Message};
use crate::core::secret::Secret;
use crate::core::text::{put, split_at_byte, utf8};

const PREFIX: &str = "p2.";
/// The longest pending value accepted.
pub const PENDING_MAX: usize = 8192;

/// One flow's pending authorization, opened. `Debug` redacts the verifier.
#[derive(Clone, Debug)]
pub struct Pending {
    /// The preset's name, so another provider's client refuses it.
    pub provider: String,
    /// The client id that started the flow.
    pub client_id: String,
    /// The environment's name (a sandbox flow never finishes in production).
    pub environment: String,
    /// The `state` sent in the authorize URL (RFC 6749 §4.1.1).
    pub state: String,
    /// The PKCE code verifier (RFC 7636 §4.1); `None` when the preset does
    /// not use PKCE.
    pub verifier: Option<Secret>,
    /// The redirect URI the flow was started with.
    pub redirect_uri: String,
    /// When the flow started, in seconds since the epoch.
    pub created_at: u64,
    /// The token kind the flow uses (the one asked for, else the preset's
    /// first); `None` for a preset without kinds.
    pub token_kind: Option<String>,
}

impl Pending {
    /// `p2.<base64url fields>` plus `.<base64url MAC>` when sealed.
    pub fn seal(&self, keys: Option<&StateKeys>) -> Result<Secret> {
        PendingView {
            provider: &self.provider,
            client_id: &self.client_id,
            environment: &self.environment,
            state: &self.state,
            redirect_uri: &self.redirect_uri,
            verifier: self.verifier.as_ref().map(Secret::expose),
            created_at: self.created_at,
            token_kind: self.token_kind.as_deref(),
        }
        .seal(keys)
    }

    /// Reads a pending value. With `keys`, its seal must verify.
    pub fn open(text: &str, keys: Option<&StateKeys>) -> Result<Pending> {
        let bytes = Pending::unseal(text, keys)?;
        PendingView::read(&bytes).map(|view| view.to_owned())
    }

    /// Checks the prefix and, with `keys`, the seal; the bytes
    /// [`PendingView::read`] reads.
    pub fn unseal(text: &str, keys: Option<&StateKeys>) -> Result<Vec<u8>> {
        let mut bytes = vec![0; text.len().min(PENDING_MAX)];
        let len = Pending::unseal_into(text, keys, &mut bytes)?.len();
        bytes.truncate(len);
        Ok(bytes)
    }

    /// As [`Pending::unseal`], into `buf`, no allocation: as many bytes as
    /// `text` is long always suffice.
    #[cfg_attr(partner_oauth_nightly, optimize(speed))]
    // Page: LLVM inlines it into the callback (why: `check_callback`).
    #[cfg_attr(not(feature = "server"), inline(always))]
    pub fn unseal_into<'b>(
        text: &str,
        keys: Option<&StateKeys>,
        buf: &'b mut [u8],
    ) -> Result<&'b [u8]> {
        if text.len() > PENDING_MAX {
            return refuse(Message::PendingTooLong);
        }
        let Some(rest) = text.strip_prefix(PREFIX) else {
            return refuse(Message::PendingNotOurs);
        };
        // Unsealed, a body that decodes whole holds no `.` (not base64url):
        // one pass instead of a scan for it first (full build only).
        #[cfg(feature = "server")]
        if keys.is_none() {
            if let Some(len) = b64url_decode_into(rest, buf).map(<[u8]>::len) {
                return Ok(buf.get(..len).unwrap_or_default());
            }
        }
        let (body, tag) = match split_at_byte(rest, b'.') {
            Some((body, tag)) => (body, Some(tag)),
            None => (rest, None),
        };
        if let Some(keys) = keys {
            // Bytes, not `str::get`: no char boundary to check.
            let signed = text
                .as_bytes()
                .get(..PREFIX.len() + body.len())
                .unwrap_or_default();
            // The tag is decoded where the body goes next.
            let Some(tag) = tag.and_then(|tag| b64url_decode_into(tag, buf)) else {
                return refuse(Message::PendingUnsealed);
            };
            if !keys.verify(Purpose::Pending, signed, tag) {
                return refuse(Message::PendingSealBroken);
            }
        }
        match b64url_decode_into(body, buf) {
            Some(bytes) => Ok(bytes),
            None => refuse(Message::PendingNotBase64url),
        }
    }
}

/// A pending value's fields, borrowed: what a start seals and a callback
/// check reads, with no `String` per field. No `Debug`: it holds the
/// verifier.
pub struct PendingView<'a> {
    /// As [`Pending::provider`].
    pub provider: &'a str,
    /// As [`Pending::client_id`].
    pub client_id: &'a str,
    /// As [`Pending::environment`].
    pub environment: &'a str,
    /// As [`Pending::state`].
    pub state: &'a str,
    /// As [`Pending::redirect_uri`].
    pub redirect_uri: &'a str,
    /// As [`Pending::verifier`].
    pub verifier: Option<&'a str>,
    /// As [`Pending::created_at`].
    pub created_at: u64,
    /// As [`Pending::token_kind`].
    pub token_kind: Option<&'a str>,
}

impl<'a> PendingView<'a> {
    /// The fields of [`Pending::unseal`]'s bytes.
    #[cfg_attr(partner_oauth_nightly, optimize(speed))]
    pub fn read(bytes: &'a [u8]) -> Result<Self> {
        match read(bytes) {
            Some(view) => Ok(view),
            None => refuse(Message::PendingMalformed),
        }
    }

    /// `p2.<base64url fields>` plus `.<base64url MAC>` when sealed.
    pub fn seal(&self, keys: Option<&StateKeys>) -> Result<Secret> {
        let mut out = Vec::with_capacity(256);
        self.seal_into(keys, &mut out)?;
        Ok(Secret::new(String::from_utf8(out).unwrap_or_default()))
    }

    /// As [`Self::seal`], onto the end of `out` (ASCII only): the fields
    /// are written there and base64url'd in place.
    pub fn seal_into(&self, keys: Option<&StateKeys>, out: &mut Vec<u8>) -> Result<()> {
        let text = |field: Option<&'a str>| field.map(str::as_bytes);
        seal_fields(
            self.created_at,
            [
                Some(self.provider.as_bytes()),
                Some(self.client_id.as_bytes()),
                Some(self.environment.as_bytes()),
                Some(self.state.as_bytes()),
                Some(self.redirect_uri.as_bytes()),
                text(self.verifier),
                text(self.token_kind),
            ],
            #[cfg(not(feature = "server"))]
            None,
            keys,
            out,
        )
    }

    /// An owned copy, for callers that keep it past the input.
    pub fn to_owned(&self) -> Pending {
        Pending {
            provider: self.provider.to_owned(),
            client_id: self.client_id.to_owned(),
            environment: self.environment.to_owned(),
            state: self.state.to_owned(),
            redirect_uri: self.redirect_uri.to_owned(),
            verifier: self.verifier.map(Secret::new),
            created_at: self.created_at,
            token_kind: self.token_kind.map(str::to_owned),
        }
    }
}

/// [`PendingView::seal_into`] over the fields' bytes, in their order
/// (`None`: absent, length 0xFFFF and no bytes): the start passes the
/// verifier it wrote as base64url, unchecked. The page's start passes its
/// state as `within`, the range of `out` it was written at (`fields[3]`
/// unread).
// Page: LLVM inlines it into the start (why: `check_callback`).
#[cfg_attr(not(feature = "server"), inline(always))]
// The index is the page's (`within`); the full build's loop is the same.
#[cfg_attr(feature = "server", allow(clippy::unused_enumerate_index))]
pub(crate) fn seal_fields(
    created_at: u64,
    fields: [Option<&[u8]>; 7],
    #[cfg(not(feature = "server"))] within: Option<(usize, usize)>,
    keys: Option<&StateKeys>,
    out: &mut Vec<u8>,
) -> Result<()> {
    let start = out.len();
    put(out, PREFIX.as_bytes());
    let body = out.len();
    push_be_u64(out, created_at);
    // By reference: an array moved into its `IntoIter` was copied whole.
    for (_i, &field) in fields.iter().enumerate() {
        let len = field.map_or(usize::from(u16::MAX), <[u8]>::len);
        // The state's range in `out` (below 4 KiB: not refused as too long).
        #[cfg(not(feature = "server"))]
        let (len, from) = match (_i, within) {
            (3, Some((from, len))) => (len, Some(from)),
            _ => (len, None),
        };
        // Below 0xFFFF, the absent mark.
        if len >= usize::from(u16::MAX) && field.is_some() {
            return refuse(Message::PendingFieldTooLong);
        }
        // The full build's two pushes: an extend is a `memory.copy`, which
        // V8 calls out of the module for (~10 ns).
        #[cfg(feature = "server")]
        {
            out.push((len >> 8) as u8); // ok: at most 0xFFFF
            out.push(len as u8); // ok: its low byte
        }
        #[cfg(not(feature = "server"))]
        put(out, &(len as u16).to_be_bytes()); // ok: at most 0xFFFF
        #[cfg(not(feature = "server"))]
        match from {
            Some(from) => crate::core::text::put_within(out, from, len),
            None => put(out, field.unwrap_or_default()),
        }
        #[cfg(feature = "server")]
        put(out, field.unwrap_or_default());
    }
    encode_signed(out, start, body, keys, Purpose::Pending);
    Ok(())
}

/// [`PendingView::read`] without its error.
pub(crate) fn read(bytes: &[u8]) -> Option<PendingView<'_>> {
    let mut fields = [None; 7];
    let created_at = u64::from_be_bytes(*read_fields(bytes, &mut fields)?);
    let [Some(provider), Some(client_id), Some(environment), Some(state), Some(redirect_uri), verifier, token_kind] =
        fields
    else {
        return None;
    };
    Some(PendingView {
        created_at,
        provider,
        client_id,
        environment,
        state,
        redirect_uri,
        verifier,
        token_kind,
    })
}

/// The creation time of a pending value's bytes (big-endian), its seven fields written
/// into `fields` (`None`: absent), in order; `None` for bytes that are
/// not a pending value's. The callback reads the fields where they are
/// written: no view built and copied (page wasm).
// Page: LLVM inlines it into the callback (why: `check_callback`).
#[cfg_attr(not(feature = "server"), inline(always))]
pub(crate) fn read_fields<'a>(
    bytes: &'a [u8],
    fields: &mut [Option<&'a str>; 7],
) -> Option<&'a [u8; 8]> {
    let (created_at, mut rest) = bytes.split_first_chunk::<8>()?;
    // One loop for the seven fields (a closure called seven times with
    // `??` at each call cost more wasm); an absent field is length 0xFFFF.
    for field in fields.iter_mut() {
        let (len, after) = rest.split_first_chunk::<2>()?;
        rest = after;
        let len = u16::from_be_bytes(*len);
        if len != u16::MAX {
            let (text, after) = rest.split_at_checked(usize::from(len))?;
            rest = after;
            *field = Some(utf8(text)?);
        }
    }
    rest.is_empty().then_some(created_at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::encoding::b64url_decode;

    // Without keys, the body before the first `.` is read and what follows
    // is ignored, whether the whole decodes or not (the full build tries the
    // whole first).
    #[test]
    fn unsealed_reads_the_body_before_the_first_dot() {
        let not_base64url = refuse::<()>(Message::PendingNotBase64url).unwrap_err();
        let texts = "p2. p2.AQID p2.AQID.x p2.AQID. p2..AQID p2.AQ.ID p2.AQI p2.A p2.A.AQID p2.AQID== p2.AQ+D p2.AQID.AQID p2.AQ. p2.é";
        for text in texts.split(' ') {
            let rest = text.strip_prefix(PREFIX).unwrap();
            let body = rest.split_once('.').map_or(rest, |(body, _)| body);
            let mut buf = [0u8; 16];
            match (
                Pending::unseal_into(text, None, &mut buf),
                b64url_decode(body),
            ) {
                (Ok(got), Some(expected)) => assert_eq!(got, expected, "{text}"),
                (Err(got), None) => assert_eq!(got.message(), not_base64url.message(), "{text}"),
                (got, expected) => panic!("{text}: {:?} / {expected:?}", got.map(<[u8]>::to_vec)),
            }
        }
    }

    // 0xFFFF marks an absent field: a field of 65,534 bytes is the longest
    // sealed (and read back), one of 65,535 or more is refused.
    #[test]
    fn a_field_is_at_most_65534_bytes() {
        let too_long = refuse::<()>(Message::PendingFieldTooLong).unwrap_err();
        for len in [0, 1, 65_533, 65_534, 65_535, 65_536, 70_000] {
            let long = "a".repeat(len);
            let view = PendingView {
                provider: "p",
                client_id: "c",
                environment: "e",
                state: "s",
                redirect_uri: &long,
                verifier: None,
                created_at: 7,
                token_kind: Some("t"),
            };
            let mut out = Vec::new();
            match view.seal_into(None, &mut out) {
                Ok(()) if len < 65_535 => {
                    // Past `unseal`'s 8192 characters: the body decoded here.
                    let body = out.strip_prefix(PREFIX.as_bytes()).unwrap();
                    let bytes = b64url_decode(std::str::from_utf8(body).unwrap()).unwrap();
                    assert_eq!(PendingView::read(&bytes).unwrap().redirect_uri, long);
                }
                Err(got) if len >= 65_535 => assert_eq!(got.message(), too_long.message()),
                got => panic!("{len}: {got:?}"),
            }
        }
    }
}
