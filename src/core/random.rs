//! Randomness is an input of the core, so every byte it produces can be
//! pinned by a test. `Entropy::from_os` is the only place that asks the
//! platform (crypto.getRandomValues in wasm). The page build has no
//! `from_os`: its glue draws the bytes in JS and hands them over
//! (`Entropy::from_bytes`; src/wasm/raw.rs).

use crate::core::error::Error;
#[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
use crate::core::error::Result;
use crate::core::messages::Message;

/// `random_unavailable`: the platform gave no random bytes.
pub fn unavailable() -> Error {
    Message::RandomNone.error()
}

/// The random bytes one authorization flow consumes.
// Aligned: its bytes then move as whole words (a `Result`'s tag left
// them at odd offsets, copied in pieces: page wasm −53 B gzip).
#[derive(Clone)]
#[repr(align(8))]
pub struct Entropy {
    /// Becomes the PKCE verifier (32 bytes → 43 base64url characters).
    pub verifier: [u8; 32],
    /// The state nonce: 128 bits.
    pub nonce: [u8; 16],
}

impl Entropy {
    /// 48 bytes from the platform's CSPRNG (`crypto.getRandomValues` in wasm),
    /// drawn through [`fill`]'s pool.
    #[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
    pub fn from_os() -> Result<Self> {
        let mut bytes = [0u8; 48];
        fill(&mut bytes)?;
        Ok(Self::from_bytes(&bytes))
    }

    /// A flow's entropy from 48 random bytes its caller drew (the verifier's
    /// 32, then the nonce's 16). The count is the caller's to check (the
    /// page's start: any other is `random_unavailable`), so no `Result` to
    /// copy the bytes through.
    pub fn from_bytes(bytes: &[u8; 48]) -> Self {
        let (verifier, nonce) = bytes.split_at(32);
        // Lengths known while compiling: neither default is reachable.
        Entropy {
            verifier: verifier.try_into().unwrap_or_default(),
            nonce: nonce.try_into().unwrap_or_default(),
        }
    }
}

#[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
pub use platform::fill;

// The platform's bytes (getrandom): not in the page build.
#[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
mod platform {
    use super::*;
    use std::cell::Cell;

    /// Random bytes from a small pool refilled from the platform. Asking the
    /// platform costs ~2 µs a call in Node (half of starting a flow), and
    /// hardly more for more bytes (16 KiB: twice 1 KiB's); one 16 KiB refill
    /// serves 341 flows (1 KiB, 21: a full-build start 1.04x slower). Bytes
    /// are handed out once and zeroed in the pool as they go (nanoid pools
    /// the same way).
    pub fn fill(bytes: &mut [u8]) -> Result<()> {
        if bytes.len() > POOL_SIZE {
            return from_platform(bytes);
        }
        // Cells, not a RefCell: a draw that a JS exception unwinds (an
        // overflow at the stack's limit) left the RefCell borrowed for good,
        // and every later draw asked the platform. Now it loses the bytes
        // it took, or its refill. A draw from inside the platform's (a
        // wrapped getRandomValues that starts a flow, review 105 C) refills
        // and draws on its own; the outer refill then replaces the pool.
        POOL.with(|pool| {
            let mut used = pool.used.get();
            if POOL_SIZE.saturating_sub(used) < bytes.len() {
                let mut fresh = [0u8; POOL_SIZE];
                from_platform(&mut fresh)?;
                pool.bytes.set(fresh);
                // The copy left on the stack goes too.
                fresh.fill(0);
                std::hint::black_box(&fresh);
                used = 0;
            }
            let end = used.saturating_add(bytes.len());
            let cells = Cell::as_slice_of_cells(&pool.bytes);
            let Some(fresh) = cells.get(used..end) else {
                return from_platform(bytes);
            };
            // Counted as handed out before they are read: an unwind past
            // here never hands the same bytes out twice.
            pool.used.set(end);
            for (byte, cell) in bytes.iter_mut().zip(fresh) {
                *byte = cell.replace(0);
            }
            Ok(())
        })
    }

    const POOL_SIZE: usize = 16384;

    struct Pool {
        bytes: Cell<[u8; POOL_SIZE]>,
        /// Bytes handed out since the last refill; the pool starts empty.
        used: Cell<usize>,
    }

    thread_local! {
        static POOL: Pool = const {
            Pool { bytes: Cell::new([0; POOL_SIZE]), used: Cell::new(POOL_SIZE) }
        };
    }

    /// Bytes from the platform. All zeros is a fill that never arrived, not
    /// a draw (2^-128 or less for 16 bytes or more): in wasm the platform
    /// fills a view of the memory, which app code inside it (a wrapped
    /// getRandomValues calling the package) can detach by growing it, and
    /// the bytes then stay as they were (review 105 E: every flow's
    /// verifier and nonce zero).
    fn from_platform(bytes: &mut [u8]) -> Result<()> {
        bytes.fill(0);
        getrandom::fill(bytes).map_err(|_| unavailable())?;
        if bytes.len() >= 16 && bytes.iter().all(|&b| b == 0) {
            return Err(unavailable());
        }
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_pool_never_hands_out_the_same_bytes_twice() {
            let mut seen = std::collections::HashSet::new();
            // Across several refills, and with sizes that do not divide the pool.
            for len in [48, 48, 7, 1000, 48, 1024, 2048, 16, 33, POOL_SIZE + 1] {
                for _ in 0..40 {
                    let mut bytes = vec![0u8; len];
                    fill(&mut bytes).unwrap();
                    if len >= 16 {
                        assert!(seen.insert(bytes.clone()), "repeated {len} bytes");
                        assert!(bytes.iter().any(|&b| b != 0));
                    }
                }
            }
        }

        #[test]
        fn handed_out_bytes_are_zeroed_in_the_pool() {
            let mut bytes = [0u8; 48];
            fill(&mut bytes).unwrap();
            POOL.with(|pool| {
                let (all, used) = (pool.bytes.get(), pool.used.get());
                let handed = all.get(used - 48..used).unwrap();
                assert!(handed.iter().all(|&b| b == 0));
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verifier_is_the_first_32_bytes_and_the_nonce_the_last_16() {
        let bytes: [u8; 48] = std::array::from_fn(|i| i as u8);
        let entropy = Entropy::from_bytes(&bytes);
        assert_eq!(entropy.verifier[..], bytes[..32]);
        assert_eq!(entropy.nonce[..], bytes[32..]);
    }
}
