//! Constant-time comparison, so an attacker cannot learn a state or MAC
//! byte by byte from response timing.

use subtle::ConstantTimeEq;

/// Equal length and equal bytes, without an early exit on the first
/// difference. Lengths are not secret here (states and MACs have fixed shape).
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
pub fn eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}
