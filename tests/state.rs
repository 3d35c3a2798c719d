//! The state parameter: round trips, signatures, expiry and forgery.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use partner_oauth::core::keys::StateKeys;
use partner_oauth::core::state::{decode, encode, StateData};
use partner_oauth::{ErrorCode, Secret};

fn keys(list: &[&str]) -> StateKeys {
    StateKeys::new(list.iter().map(|k| Secret::new(*k)).collect()).unwrap()
}

fn data(payload: Option<&str>) -> StateData {
    StateData {
        created_at: NOW,
        nonce: entropy().nonce,
        payload: payload.map(str::to_owned),
    }
}

const MAX_AGE: u64 = 600;

#[test]
fn unsigned_state_matches_bytes_built_by_hand() {
    assert_eq!(encode(&data(None), None).unwrap(), STATE);
}

#[test]
fn payloads_round_trip_signed_and_unsigned() {
    let kilobyte = "x".repeat(1024);
    let payloads = [
        "a&b=c",
        "user=42&company=7",
        "ünïcødé ✓ 日本",
        "",
        &kilobyte,
        "%26+%3D",
    ];
    let key = keys(&[KEY]);
    for payload in payloads {
        for k in [None, Some(&key)] {
            let state = encode(&data(Some(payload)), k).unwrap();
            assert!(!state.contains(['&', '=', '+', '%']), "{state}");
            assert_eq!(
                decode(&state, k, NOW, MAX_AGE).unwrap(),
                data(Some(payload))
            );
        }
    }
}

#[test]
fn no_payload_and_empty_payload_differ() {
    let none = encode(&data(None), None).unwrap();
    let empty = encode(&data(Some("")), None).unwrap();
    assert_ne!(none, empty);
    assert_eq!(
        decode(&empty, None, NOW, MAX_AGE)
            .unwrap()
            .payload
            .as_deref(),
        Some("")
    );
}

#[test]
fn tampered_signed_state_is_rejected() {
    let key = keys(&[KEY]);
    let state = encode(&data(Some("user=42")), Some(&key)).unwrap();
    // Change the payload's last character and keep the signature.
    let (body, sig) = state.split_once('.').unwrap();
    let forged_body = format!(
        "{}{}",
        &body[..body.len() - 1],
        if body.ends_with('y') { 'z' } else { 'y' }
    );
    let forged = format!("{forged_body}.{sig}");
    assert_eq!(
        decode(&forged, Some(&key), NOW, MAX_AGE)
            .unwrap_err()
            .code(),
        ErrorCode::InvalidState
    );
    // And a flipped signature character.
    let last = if sig.ends_with('A') { 'B' } else { 'A' };
    let bad_sig = format!("{body}.{}{last}", &sig[..sig.len() - 1]);
    assert_eq!(
        decode(&bad_sig, Some(&key), NOW, MAX_AGE)
            .unwrap_err()
            .code(),
        ErrorCode::InvalidState
    );
}

#[test]
fn truncated_state_is_rejected() {
    for cut in [0, 1, 10, STATE.len() - 1] {
        let result = decode(&STATE[..cut], None, NOW, MAX_AGE);
        assert_eq!(
            result.unwrap_err().code(),
            ErrorCode::InvalidState,
            "cut at {cut}"
        );
    }
}

#[test]
fn expired_state_is_rejected_at_the_boundary() {
    assert!(decode(STATE, None, NOW + MAX_AGE, MAX_AGE).is_ok());
    assert_eq!(
        decode(STATE, None, NOW + MAX_AGE + 1, MAX_AGE)
            .unwrap_err()
            .code(),
        ErrorCode::StateExpired
    );
}

#[test]
fn state_from_the_future_is_rejected() {
    assert!(decode(STATE, None, NOW - 300, MAX_AGE).is_ok());
    assert_eq!(
        decode(STATE, None, NOW - 301, MAX_AGE).unwrap_err().code(),
        ErrorCode::InvalidState
    );
}

#[test]
fn foreign_state_signed_with_another_key_is_rejected() {
    let state = encode(&data(None), Some(&keys(&[OTHER_KEY]))).unwrap();
    assert_eq!(
        decode(&state, Some(&keys(&[KEY])), NOW, MAX_AGE)
            .unwrap_err()
            .code(),
        ErrorCode::InvalidState
    );
}

#[test]
fn unsigned_state_is_rejected_when_a_key_is_set() {
    assert_eq!(
        decode(STATE, Some(&keys(&[KEY])), NOW, MAX_AGE)
            .unwrap_err()
            .code(),
        ErrorCode::InvalidState
    );
}

#[test]
fn key_rotation_signs_with_first_and_accepts_any() {
    let old = encode(&data(None), Some(&keys(&[OTHER_KEY]))).unwrap();
    let rotated = keys(&[KEY, OTHER_KEY]);
    assert!(decode(&old, Some(&rotated), NOW, MAX_AGE).is_ok());
    let new = encode(&data(None), Some(&rotated)).unwrap();
    assert_eq!(new, encode(&data(None), Some(&keys(&[KEY]))).unwrap());
}

#[test]
fn short_or_missing_keys_are_refused() {
    let short = StateKeys::new(vec![Secret::new("x".repeat(31))]);
    assert_eq!(short.unwrap_err().code(), ErrorCode::InvalidConfig);
    assert_eq!(
        StateKeys::new(vec![]).unwrap_err().code(),
        ErrorCode::InvalidConfig
    );
}

#[test]
fn oversized_inputs_are_refused() {
    let big = "x".repeat(2049);
    assert_eq!(
        encode(&data(Some(&big)), None).unwrap_err().code(),
        ErrorCode::InputTooLarge
    );
    let megabyte = "A".repeat(1 << 20);
    assert_eq!(
        decode(&megabyte, None, NOW, MAX_AGE).unwrap_err().code(),
        ErrorCode::InputTooLarge
    );
}

// Found by fuzzing: decoding must refuse what encoding never produces.
#[test]
fn a_payload_longer_than_any_we_make_is_refused() {
    let mut body = vec![1u8, 1];
    body.extend_from_slice(&NOW.to_be_bytes());
    body.extend_from_slice(&[0; 16]);
    body.extend_from_slice(&[b'x'; 2049]);
    let text = partner_oauth::core::encoding::b64url(&body);
    assert_eq!(
        decode(&text, None, NOW, MAX_AGE).unwrap_err().code(),
        ErrorCode::InputTooLarge
    );
}

#[test]
fn garbage_is_invalid_state() {
    for garbage in [
        "",
        "!!!",
        "a.b.c",
        "AQ",
        "AgAAAAAAZVPxAAABAgMEBQYHCAkKCwwNDg8",
        "AQIAAAAAZVPxAAABAgMEBQYHCAkKCwwNDg8",
    ] {
        assert_eq!(
            decode(garbage, None, NOW, MAX_AGE).unwrap_err().code(),
            ErrorCode::InvalidState,
            "{garbage}"
        );
    }
}

// Issue 17 item 9: "older than 1 seconds" read wrong.
#[test]
fn the_expiry_message_counts_seconds_in_english() {
    let one = partner_oauth::core::state::check_age(NOW, NOW + 2, 1).unwrap_err();
    assert!(one.to_string().contains("older than 1 second"), "{one}");
    assert!(!one.to_string().contains("1 seconds"), "{one}");
    let many = partner_oauth::core::state::check_age(NOW, NOW + 700, 600).unwrap_err();
    assert!(
        many.to_string().contains("older than 600 seconds"),
        "{many}"
    );
}
