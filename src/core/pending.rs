//! The pending authorization: everything the callback needs to finish a flow
//! (state, PKCE verifier, redirect URI, …), as one opaque string the caller
//! stores — a cookie, sessionStorage, a server store — and hands back.
//!
//! With a `stateKey` it is sealed with HMAC-SHA256, so it can travel in a
//! cookie without being altered. Sealed is not encrypted: it holds the PKCE
//! verifier, so keep it where only this user's browser or your server sees it
//! (an HttpOnly cookie, sessionStorage).

use crate::core::encoding::{b64url, b64url_decode};
use crate::core::error::{fail, ErrorCode, Result};
use crate::core::keys::{Keys, Purpose};
use crate::core::secret::Secret;
use serde::{Deserialize, Serialize, Serializer};

const PREFIX: &str = "p1.";
/// The longest pending value accepted.
pub const PENDING_MAX: usize = 8192;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pending {
    #[serde(rename = "p")]
    pub provider: String,
    #[serde(rename = "c")]
    pub client_id: String,
    #[serde(rename = "e")]
    pub environment: String,
    #[serde(rename = "s")]
    pub state: String,
    #[serde(rename = "v", default, serialize_with = "expose_verifier")]
    pub verifier: Option<Secret>,
    #[serde(rename = "r")]
    pub redirect_uri: String,
    #[serde(rename = "t")]
    pub created_at: u64,
    #[serde(rename = "k", default)]
    pub token_kind: Option<String>,
}

fn expose_verifier<S: Serializer>(verifier: &Option<Secret>, s: S) -> Result<S::Ok, S::Error> {
    verifier.as_ref().map(Secret::expose).serialize(s)
}

impl Pending {
    /// `p1.<base64url JSON>` plus `.<base64url MAC>` when sealed.
    pub fn seal(&self, keys: Option<&Keys>) -> Result<Secret> {
        let Ok(json) = serde_json::to_vec(self) else {
            return fail(
                ErrorCode::InvalidArgument,
                "the pending value cannot be encoded",
            );
        };
        let mut text = format!("{PREFIX}{}", b64url(&json));
        if let Some(keys) = keys {
            let tag = keys.sign(Purpose::Pending, text.as_bytes());
            text.push('.');
            text.push_str(&b64url(&tag));
        }
        Ok(Secret::new(text))
    }

    /// Reads a pending value. With `keys`, its seal must verify.
    pub fn open(text: &str, keys: Option<&Keys>) -> Result<Pending> {
        if text.len() > PENDING_MAX {
            return fail(
                ErrorCode::InputTooLarge,
                "the pending value is longer than 8192 characters",
            );
        }
        let Some(rest) = text.strip_prefix(PREFIX) else {
            return invalid("the pending value is not one this library made");
        };
        let (body, tag) = match rest.split_once('.') {
            Some((body, tag)) => (body, Some(tag)),
            None => (rest, None),
        };
        if let Some(keys) = keys {
            let signed = text.get(..PREFIX.len() + body.len()).unwrap_or_default();
            let Some(tag) = tag.and_then(b64url_decode) else {
                return invalid("the pending value is not sealed, but a stateKey is set");
            };
            if !keys.verify(Purpose::Pending, signed.as_bytes(), &tag) {
                return invalid("the pending value's seal does not verify: it was altered or sealed with another key");
            }
        }
        let Some(json) = b64url_decode(body) else {
            return invalid("the pending value is not base64url");
        };
        serde_json::from_slice(&json).or_else(|_| invalid("the pending value is malformed"))
    }
}

fn invalid<T>(message: &str) -> Result<T> {
    fail(ErrorCode::InvalidPending, message)
}
