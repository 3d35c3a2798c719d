//! PKCE, RFC 7636: the verifier (§4.1) and the S256 challenge (§4.2).

use crate::core::encoding::{b64url, is_b64url_symbol, push_b64url};
use crate::core::error::Result;
use crate::core::messages::{refuse, Message};
use crate::core::secret::Secret;
use sha2::{Digest, Sha256};

/// The shortest code verifier RFC 7636 §4.1 allows.
pub const VERIFIER_MIN: usize = 43;
/// The longest code verifier RFC 7636 §4.1 allows.
pub const VERIFIER_MAX: usize = 128;

/// A verifier from 32 random bytes: 43 base64url characters (RFC 7636 §4.1
/// recommends exactly this).
pub fn verifier_from_bytes(bytes: &[u8; 32]) -> Secret {
    Secret::new(b64url(bytes))
}

/// As [`verifier_from_bytes`], in place (the page build's buffer): its 32
/// random bytes become the 43 characters; any other count is
/// `random_unavailable`.
#[cfg(all(target_arch = "wasm32", not(feature = "server")))]
pub(crate) fn verifier_in_place(bytes: &mut Vec<u8>) -> Result<()> {
    if bytes.len() != 32 {
        return Err(crate::core::random::unavailable());
    }
    crate::core::encoding::b64url_tail(bytes, 0);
    Ok(())
}

/// Checks RFC 7636 §4.1: 43 to 128 characters of `[A-Za-z0-9-._~]`.
pub fn check_verifier(verifier: &str) -> Result<()> {
    check_verifier_bytes(verifier.as_bytes())
}

/// As [`check_verifier`], over bytes (the start's own verifier).
pub(crate) fn check_verifier_bytes(verifier: &[u8]) -> Result<()> {
    let length_ok = (VERIFIER_MIN..=VERIFIER_MAX).contains(&verifier.len());
    let alphabet_ok = verifier
        .iter()
        .all(|&b| is_b64url_symbol(b) || matches!(b, b'.' | b'~'));
    if length_ok && alphabet_ok {
        Ok(())
    } else {
        refuse(Message::VerifierInvalid)
    }
}

/// `BASE64URL(SHA256(ASCII(code_verifier)))`, RFC 7636 §4.2.
pub fn challenge_s256(verifier: &str) -> Result<String> {
    check_verifier(verifier)?;
    Ok(b64url(&Sha256::digest(verifier.as_bytes())))
}

/// As [`challenge_s256`], onto the end of `out` (the page's answer).
#[cfg(all(target_arch = "wasm32", not(feature = "server")))]
pub(crate) fn push_challenge(verifier: &str, out: &mut Vec<u8>) -> Result<()> {
    check_verifier(verifier)?;
    push_s256(verifier.as_bytes(), out);
    Ok(())
}

/// The S256 challenge of a verifier already checked, onto the end of `out`.
pub(crate) fn push_s256(verifier: &[u8], out: &mut Vec<u8>) {
    push_b64url(out, &Sha256::digest(verifier));
}
