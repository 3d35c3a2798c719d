//! Any state, signed or not: a typed error, or a decoding that re-encodes to
//! the same text.
#![no_main]
mod common;
use common::*;
use libfuzzer_sys::fuzz_target;
use partner_oauth::core::keys::StateKeys;
use partner_oauth::core::state::{decode, encode};
use partner_oauth::Secret;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let keys = StateKeys::new(vec![Secret::new(KEY)]).expect("key");
    match decode(text, Some(&keys), NOW, 600) {
        Ok(state) => assert_eq!(encode(&state, Some(&keys)).expect("re-encode"), text),
        Err(e) => assert_known_code(&e),
    }
    match decode(text, None, NOW, 600) {
        // Unsigned decoding ignores a signature part; the body round-trips.
        Ok(state) => assert_eq!(encode(&state, None).expect("re-encode"), text.split('.').next().unwrap_or_default()),
        Err(e) => assert_known_code(&e),
    }
});
