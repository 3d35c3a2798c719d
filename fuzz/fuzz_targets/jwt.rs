//! Any text as a JWT: decoded header and claims are objects, or a typed error.
#![no_main]
mod common;
use common::*;
use libfuzzer_sys::fuzz_target;
use partner_oauth::core::jwt;

fuzz_target!(|data: &[u8]| {
    // Any bytes as a DER public key: never a panic.
    if let Err(e) = jwt::check_spki(data) {
        assert_known_code(&e);
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    match jwt::decode(text) {
        Ok(decoded) => {
            assert!(decoded.header.as_object().is_some() && decoded.claims.as_object().is_some());
            let expect = jwt::Expect { typ: Some("at+jwt".into()), ..Default::default() };
            if let Err(e) = jwt::check_token(&decoded, &expect, NOW) {
                assert_known_code(&e);
            }
            // The claims as a key set: choosing keys never panics.
            for alg in jwt::Alg::ALL {
                let _ = jwt::candidate_keys(&decoded.claims, alg, None).count();
            }
        }
        Err(e) => assert_known_code(&e),
    }
    let _ = jwt::expiry(text);
});
