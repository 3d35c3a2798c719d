//! Randomness is an input of the core, so every byte it produces can be
//! pinned by a test. `Entropy::from_os` is the only place that asks the
//! platform (crypto.getRandomValues in wasm).

use crate::core::error::{fail, ErrorCode, Result};

/// The random bytes one authorization flow consumes.
#[derive(Clone)]
pub struct Entropy {
    /// Becomes the PKCE verifier (32 bytes → 43 base64url characters).
    pub verifier: [u8; 32],
    /// The state nonce: 128 bits.
    pub nonce: [u8; 16],
}

impl Entropy {
    pub fn from_os() -> Result<Self> {
        let mut bytes = [0u8; 48];
        fill(&mut bytes)?;
        let mut entropy = Entropy {
            verifier: [0; 32],
            nonce: [0; 16],
        };
        let (verifier, nonce) = bytes.split_at(32);
        entropy.verifier.copy_from_slice(verifier);
        entropy.nonce.copy_from_slice(nonce);
        Ok(entropy)
    }
}

pub fn fill(bytes: &mut [u8]) -> Result<()> {
    match getrandom::fill(bytes) {
        Ok(()) => Ok(()),
        Err(_) => fail(
            ErrorCode::RandomUnavailable,
            "the platform could not supply random bytes",
        ),
    }
}
