//! RFC 7636: verifier rules (§4.1) and the S256 vector (Appendix B).
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use partner_oauth::core::pkce::{challenge_s256, check_verifier, verifier_from_bytes};
use partner_oauth::ErrorCode;

#[test]
fn rfc7636_appendix_b_vector() {
    let verifier = verifier_from_bytes(&entropy().verifier);
    assert_eq!(
        verifier.expose(),
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    );
    assert_eq!(challenge_s256(verifier.expose()).unwrap(), CHALLENGE);
}

#[test]
fn verifier_length_bounds() {
    assert_eq!(
        check_verifier(&"a".repeat(42)).unwrap_err().code(),
        ErrorCode::InvalidArgument
    );
    assert!(check_verifier(&"a".repeat(43)).is_ok());
    assert!(check_verifier(&"a".repeat(128)).is_ok());
    assert_eq!(
        check_verifier(&"a".repeat(129)).unwrap_err().code(),
        ErrorCode::InvalidArgument
    );
}

#[test]
fn verifier_alphabet_is_the_unreserved_set() {
    assert!(check_verifier(&format!("{}-._~", "Az09".repeat(10))).is_ok());
    for bad in ['+', '/', '=', ' ', '%', 'é'] {
        let verifier = format!("{}{bad}", "a".repeat(43));
        assert!(
            check_verifier(&verifier).is_err(),
            "{bad:?} must be refused"
        );
    }
}

// TropiPay's official demo uses a 14-character verifier; RFC 7636 forbids it.
#[test]
fn tropipay_demo_short_verifier_is_refused() {
    assert_eq!(
        challenge_s256("abcdefghijklmn").unwrap_err().code(),
        ErrorCode::InvalidArgument
    );
}
