//! Reading a JWT's claims without verifying it (RFC 7519 §7.2 steps 1–8 but
//! the signature). Used to learn a token's `exp`; never to trust a token.

use crate::core::encoding::b64url_decode;
use crate::core::error::{fail, ErrorCode, Result};
use crate::core::json::{self, Json};

/// JWTs longer than this are refused before any decoding.
pub const JWT_MAX: usize = 16_384;

pub struct Decoded {
    /// The header, a JSON object.
    pub header: Json,
    /// The payload, a JSON object.
    pub claims: Json,
}

/// Splits `header.payload.signature` and decodes the first two as JSON
/// objects. Fails with `invalid_argument` on any malformation.
pub fn decode(token: &str) -> Result<Decoded> {
    if token.len() > JWT_MAX {
        return fail(
            ErrorCode::InputTooLarge,
            "the JWT is longer than 16384 characters",
        );
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return invalid("a JWT has exactly three dot-separated parts");
    };
    Ok(Decoded {
        header: object(header, "header")?,
        claims: object(payload, "payload")?,
    })
}

fn object(segment: &str, what: &str) -> Result<Json> {
    let Some(bytes) = b64url_decode(segment) else {
        return invalid(&format!("the JWT {what} is not base64url"));
    };
    match std::str::from_utf8(&bytes).ok().and_then(json::parse) {
        Some(value @ Json::Object(_)) => Ok(value),
        _ => invalid(&format!("the JWT {what} is not a JSON object")),
    }
}

/// The `exp` claim when `token` is a JWT carrying a sane one.
pub fn expiry(token: &str) -> Option<u64> {
    let decoded = decode(token).ok()?;
    decoded.header.get("alg")?;
    decoded.claims.get("exp")?.as_u64()
}

fn invalid<T>(message: &str) -> Result<T> {
    fail(ErrorCode::InvalidArgument, message)
}
