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
use crate::core::json::ObjectWriter;
use crate::core::keys::{Keys, Purpose};
use crate::core::options::Fields;
use crate::core::secret::Secret;

const PREFIX: &str = "p1.";
/// The longest pending value accepted.
pub const PENDING_MAX: usize = 8192;

#[derive(Clone, Debug)]
pub struct Pending {
    pub provider: String,
    pub client_id: String,
    pub environment: String,
    pub state: String,
    pub verifier: Option<Secret>,
    pub redirect_uri: String,
    pub created_at: u64,
    pub token_kind: Option<String>,
}

impl Pending {
    /// `p1.<base64url JSON>` plus `.<base64url MAC>` when sealed.
    pub fn seal(&self, keys: Option<&Keys>) -> Result<Secret> {
        let mut writer = ObjectWriter::default();
        writer
            .str("p", &self.provider)
            .str("c", &self.client_id)
            .str("e", &self.environment)
            .str("s", &self.state)
            .str("r", &self.redirect_uri)
            .u64("t", self.created_at);
        if let Some(verifier) = &self.verifier {
            writer.str("v", verifier.expose());
        }
        if let Some(kind) = &self.token_kind {
            writer.str("k", kind);
        }
        let mut text = format!("{PREFIX}{}", b64url(writer.finish().as_bytes()));
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
        let Some(json) = b64url_decode(body).and_then(|b| String::from_utf8(b).ok()) else {
            return invalid("the pending value is not base64url");
        };
        Pending::read(&json).or_else(|_| invalid("the pending value is malformed"))
    }

    fn read(json: &str) -> Result<Pending> {
        let mut fields = Fields::parse(json, "pending")?;
        let pending = Pending {
            provider: fields.required_string("p")?,
            client_id: fields.required_string("c")?,
            environment: fields.required_string("e")?,
            state: fields.required_string("s")?,
            verifier: fields.secret("v")?,
            redirect_uri: fields.required_string("r")?,
            created_at: fields.u64("t")?.unwrap_or_default(),
            token_kind: fields.string("k")?,
        };
        fields.finish()?;
        Ok(pending)
    }
}

fn invalid<T>(message: &str) -> Result<T> {
    fail(ErrorCode::InvalidPending, message)
}
