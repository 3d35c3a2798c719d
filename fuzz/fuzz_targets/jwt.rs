//! Any text as a JWT: decoded header and claims are objects, or a typed error.
#![no_main]
mod common;
use common::*;
use libfuzzer_sys::fuzz_target;
use partner_oauth::core::jwt;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match jwt::decode(text) {
        Ok(decoded) => assert!(decoded.header.as_object().is_some() && decoded.claims.as_object().is_some()),
        Err(e) => assert_known_code(&e),
    }
    let _ = jwt::expiry(text);
});
