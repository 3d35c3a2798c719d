//! HMAC-SHA256 keys for signing state and sealing the pending value.
//! Several keys make rotation possible: sign with the first, accept any.

use crate::core::ct;
use crate::core::encoding::b64url_tail;
use crate::core::error::Result;
use crate::core::messages::{refuse, Message};
use crate::core::secret::Secret;
use crate::core::text::put;
use hmac::digest::FixedOutput;
use hmac::{KeyInit, Mac, SimpleHmac};
use sha2::Sha256;

/// Shorter keys are refused: HMAC-SHA256 wants at least 256 bits.
pub const KEY_MIN_BYTES: usize = 32;
const MAX_KEYS: usize = 8;

/// One to eight HMAC-SHA256 keys (RFC 2104), the first current. `Debug`
/// shows them redacted.
#[derive(Clone, Debug)]
pub struct StateKeys(Vec<Secret>);

/// What a MAC is for, mixed into its input so a state signature can never be
/// replayed as a pending seal or the other way round.
#[derive(Clone, Copy)]
pub enum Purpose {
    /// Signing the `state` parameter (see `core::state`).
    State,
    /// Sealing the pending value (see `core::pending`).
    Pending,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Purpose::State => b"partner-oauth state v1\0",
            Purpose::Pending => b"partner-oauth pending v1\0",
        }
    }
}

impl StateKeys {
    /// Checks the key count (1 to 8) and that each key is at least
    /// [`KEY_MIN_BYTES`] long.
    pub fn new(keys: Vec<Secret>) -> Result<Self> {
        StateKeys::check(&keys)?;
        Ok(StateKeys(keys))
    }

    /// [`Self::new`]'s checks, on keys the caller still holds: the client
    /// takes them once every option has passed, so no refusal drops them.
    #[cfg_attr(not(feature = "server"), inline(always))]
    pub(crate) fn check(keys: &[Secret]) -> Result<()> {
        if keys.is_empty() || keys.len() > MAX_KEYS {
            return refuse(Message::StateKeyCount);
        }
        if keys.iter().any(|k| k.expose().len() < KEY_MIN_BYTES) {
            return refuse(Message::StateKeyShort);
        }
        Ok(())
    }

    /// Keys that [`Self::check`] passed.
    pub(crate) fn checked(keys: Vec<Secret>) -> Self {
        StateKeys(keys)
    }

    /// The MAC under the first (current) key: on the stack, for a start
    /// that writes into one buffer.
    pub fn sign(&self, purpose: Purpose, data: &[u8]) -> [u8; 32] {
        let mut tag = [0; 32];
        // `new` checked there is a key; HMAC takes a key of any length.
        if let Some(key) = self.0.first() {
            mac(key, purpose, data, &mut tag);
        }
        tag
    }

    /// True when any key produced `tag` (each check is constant-time).
    pub fn verify(&self, purpose: Purpose, data: &[u8], tag: &[u8]) -> bool {
        // One loop and one tag on the stack: `filter_map` over `Hmac`
        // states with `verify_slice` cost 465 B of raw wasm more (187 gzip).
        let mut ours = [0; 32];
        for key in &self.0 {
            if mac(key, purpose, data, &mut ours) && ct::eq(&ours, tag) {
                return true;
            }
        }
        false
    }
}

/// `.` and the 32 bytes a MAC is written over.
const DOT_AND_TAG: [u8; 33] = {
    let mut bytes = [0; 33];
    bytes[0] = b'.';
    bytes
};

/// Base64url-encodes `out[body..]` in place then, with `keys`, appends `.`
/// and the base64url MAC of `out[signed..]`: how a state and a pending
/// value end (one copy of it in a start).
pub(crate) fn encode_signed(
    out: &mut Vec<u8>,
    signed: usize,
    body: usize,
    keys: Option<&StateKeys>,
    purpose: Purpose,
) {
    b64url_tail(out, body);
    // `new` checked there is a key.
    if let Some(key) = keys.and_then(|keys| keys.0.first()) {
        // The MAC written where it goes (its 32 bytes past the `.`), then
        // base64url'd there: no tag on the stack to copy.
        let end = out.len();
        put(out, &DOT_AND_TAG);
        if let Some((data, tag)) = out.split_at_mut_checked(end + 1) {
            if let (Some(data), Some(tag)) = (data.get(signed..end), tag.first_chunk_mut()) {
                mac(key, purpose, data, tag);
            }
        }
        b64url_tail(out, end + 1);
    }
}

/// Writes the HMAC-SHA256 of the purpose's label and `data` under `key`
/// into `out`; false (and `out` untouched) if the key is refused, which
/// HMAC never does.
/// `SimpleHmac`: HMAC over sha2's `Digest`, which the PKCE challenge
/// keeps in the module anyway; `Hmac`'s block-level core was its own code.
fn mac(key: &Secret, purpose: Purpose, data: &[u8], out: &mut [u8; 32]) -> bool {
    let Ok(mut m) = <SimpleHmac<Sha256> as KeyInit>::new_from_slice(key.expose().as_bytes()) else {
        return false;
    };
    m.update(purpose.label());
    m.update(data);
    m.finalize_into(out.into());
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::Hmac;

    // `SimpleHmac` and `Hmac` are the same function (RFC 2104): keys shorter
    // than, as long as and longer than SHA-256's 64-byte block (hashed).
    #[test]
    fn mac_is_hmac_sha256() {
        for key_len in [32, 63, 64, 65, 100] {
            for data_len in [0, 1, 55, 56, 64, 200] {
                let key = "k".repeat(key_len);
                let data = vec![7u8; data_len];
                for purpose in [Purpose::State, Purpose::Pending] {
                    let mut ours = [0; 32];
                    assert!(mac(&Secret::new(&key), purpose, &data, &mut ours));
                    let mut reference =
                        <Hmac<Sha256> as KeyInit>::new_from_slice(key.as_bytes()).unwrap();
                    reference.update(purpose.label());
                    reference.update(&data);
                    assert_eq!(
                        ours,
                        *reference.finalize().into_bytes(),
                        "{key_len} {data_len}"
                    );
                }
            }
        }
    }
}
