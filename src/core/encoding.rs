//! base64url without padding (RFC 4648 §5), the alphabet of PKCE, JWTs and
//! our state: it never contains `&`, `=`, `+` or `%`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// Encodes `bytes` as base64url without padding (RFC 4648 §5).
pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes unpadded base64url (RFC 4648 §5); `None` for anything else,
/// padding included.
pub fn b64url_decode(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text).ok()
}

/// Standard base64 with padding (RFC 4648 §4), for HTTP Basic credentials.
pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
