//! Each provider's response dialect applies to that provider only; the
//! custom preset reads every habit leniently, as before dialects existed.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use partner_oauth::{ErrorCode, Expiry, Token};

use common::parse_token as parse;

// Billit — "field casing" row: its `Expires_In`, not another provider's.
#[test]
fn any_casing_is_billits_and_customs() {
    let body = r#"{"access_token":"a","Expires_In":60}"#;
    for provider in ["billit", "custom"] {
        assert_eq!(parse(provider, body).unwrap().expiry, Expiry::At(NOW + 60));
    }
    // Factorial reads `expires_in` only: its one-hour default, and the odd
    // field kept with the other extras.
    let token = parse("factorial", body).unwrap();
    assert_eq!(token.expiry, Expiry::At(NOW + 3600));
    assert_eq!(token.extra[0].0, "Expires_In");
}

// PROVIDERS.md, every preset (TropiPay's "quirk" row): an epoch `expires_in`.
#[test]
fn an_epoch_expires_in_is_an_epoch_for_every_preset() {
    let body = r#"{"access_token":"a","expires_in":1741987517}"#;
    for (provider, _) in partner_oauth::core::providers::PROVIDERS {
        assert_eq!(
            parse(provider, body).unwrap().expiry,
            Expiry::At(1741987517),
            "{provider}"
        );
    }
    // Below 10⁹ it is what RFC 6749 says: seconds from now.
    let body = r#"{"access_token":"a","expires_in":999999999}"#;
    assert_eq!(
        parse("billit", body).unwrap().expiry,
        Expiry::At(NOW + 999999999)
    );
}

// PayFit — "scope separator" row: commas.
#[test]
fn comma_scopes_are_payfits_and_customs() {
    let body = r#"{"access_token":"a","scope":"a:read,b:read"}"#;
    for provider in ["payfit", "custom"] {
        assert_eq!(parse(provider, body).unwrap().scopes, ["a:read", "b:read"]);
    }
    assert_eq!(parse("payout", body).unwrap().scopes, ["a:read,b:read"]);
}

// Payout — "merchant API token" row: refused, and said why.
#[test]
fn payouts_merchant_token_is_refused_by_name() {
    let body = r#"{"token":"m-token","valid_for":6000}"#;
    let err = parse("payout", body).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidResponse);
    assert!(err.message().contains("merchant API token"), "{err}");
    let err = parse("custom", body).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidResponse);
    assert!(err.message().contains("no access_token"), "{err}");
}

// Billit — "errors" row: a token answer carrying the envelope is an error
// for Billit; for a provider without it, the envelope is just a field.
#[test]
fn the_errors_envelope_is_billits_and_customs() {
    let body = r#"{"access_token":"a","errors":[{"Code":"InvalidAccessToken"}]}"#;
    for provider in ["billit", "custom"] {
        assert!(parse(provider, body).is_err(), "{provider}");
    }
    assert_eq!(parse("tropipay", body).unwrap().access_token.expose(), "a");
}

// The strict reading a Rust preset can choose: every `expires_in` is seconds
// from now, however large (the baseline reads a plain epoch as one).
#[test]
fn the_strict_seconds_reading_never_takes_an_epoch() {
    use partner_oauth::core::dialect::{Dialect, ExpiresIn};
    use partner_oauth::core::json::{self, Json};
    use partner_oauth::core::token::Lifetime;
    let raw = r#"{"access_token":"a","expires_in":1741987517}"#;
    let Some(Json::Object(body)) = json::parse(raw) else {
        panic!("not an object")
    };
    let lifetime = Lifetime {
        never_expires: false,
        default_secs: None,
    };
    let read = |expires_in| {
        let dialect = Dialect {
            expires_in,
            ..Dialect::RFC6749
        };
        Token::from_response(&body, raw, NOW, lifetime, &dialect)
            .unwrap()
            .expiry
    };
    assert_eq!(read(ExpiresIn::Seconds), Expiry::At(NOW + 1741987517));
    assert_eq!(read(ExpiresIn::SecondsOrEpoch), Expiry::At(1741987517));
}
