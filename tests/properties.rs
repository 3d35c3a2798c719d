//! Property tests: every payload round-trips; no input makes a parser panic.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use partner_oauth::core::keys::StateKeys;
use partner_oauth::core::state::{decode, encode, StateData, PAYLOAD_MAX};
use partner_oauth::{ErrorCode, Secret};
use proptest::prelude::*;
use serde_json::json;

fn keys() -> StateKeys {
    StateKeys::new(vec![Secret::new(KEY)]).unwrap()
}

proptest! {
    /// The query writer copies unescaped values whole; whatever the value,
    /// its output is form_urlencoded's, byte for byte.
    #[test]
    fn query_encoding_is_form_urlencoded(pairs in proptest::collection::vec((any::<String>(), "[a-zA-Z0-9*._ :/?&=+%~-]{0,12}"), 0..5)) {
        let base = String::from("https://as.example.com/a?");
        let start = base.len();
        let mut expected = form_urlencoded::Serializer::for_suffix(base, start);
        for (name, value) in &pairs {
            expected.append_pair(name, value);
        }
        let mut expected = expected.finish();
        if pairs.is_empty() {
            expected.pop();
        }
        let got = partner_oauth::core::urls::with_query(
            "https://as.example.com/a",
            pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        );
        prop_assert_eq!(got, expected);
    }

    /// The start's byte writer encodes as the query writer does.
    #[test]
    fn form_bytes_are_form_urlencoded(text in any::<String>()) {
        let mut expected = String::from("a=");
        partner_oauth::core::urls::push_form_encoded(&mut expected, &text);
        let mut got = b"a=".to_vec();
        partner_oauth::core::urls::push_form_bytes(&mut got, text.as_bytes());
        prop_assert_eq!(got, expected.into_bytes());
    }

    #[test]
    fn any_payload_round_trips(payload in any::<String>(), nonce in any::<[u8; 16]>(), signed in any::<bool>()) {
        prop_assume!(payload.len() <= PAYLOAD_MAX);
        let keys = keys();
        let k = signed.then_some(&keys);
        let data = StateData { created_at: NOW, nonce, payload: Some(payload) };
        let state = encode(&data, k).unwrap();
        prop_assert!(!state.contains(['&', '=', '+', '%']));
        prop_assert_eq!(decode(&state, k, NOW, 600).unwrap(), data);
    }

    #[test]
    fn state_decoder_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let text = String::from_utf8_lossy(&bytes);
        for k in [None, Some(&keys())] {
            if let Err(e) = decode(&text, k, NOW, 600) {
                prop_assert!(ErrorCode::ALL.contains(&e.code()));
            }
        }
    }

    #[test]
    fn callback_parser_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400), prefix in 0usize..3) {
        let client = client("payout", json!({"stateKey": KEY}));
        let started = client.start_authorization(&Default::default(), NOW, &entropy()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let input = match prefix {
            0 => text.to_string(),
            1 => format!("{REDIRECT}?{text}"),
            _ => format!("{REDIRECT}?state={}&{text}", started.state),
        };
        if let Err(e) = client.parse_callback(&input, started.pending.expose(), NOW) {
            prop_assert!(ErrorCode::ALL.contains(&e.code()));
        }
        if let Err(e) = client.open_pending(&text) {
            prop_assert!(ErrorCode::ALL.contains(&e.code()));
        }
    }

    #[test]
    fn callback_with_structured_noise_never_panics(
        params in proptest::collection::vec(("(code|state|error|iss|authorization_code|x)", "[ -~%]{0,40}"), 0..6)
    ) {
        let client = client("payout", json!({}));
        let started = client.start_authorization(&Default::default(), NOW, &entropy()).unwrap();
        let query: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let input = format!("{REDIRECT}?{}", query.join("&"));
        if let Err(e) = client.parse_callback(&input, started.pending.expose(), NOW) {
            prop_assert!(ErrorCode::ALL.contains(&e.code()));
        }
    }
}

proptest! {
    /// core::encoding by hand is the base64 crate's encoding, and decodes
    /// exactly what that crate accepts (`URL_SAFE_NO_PAD`, `STANDARD`).
    #[test]
    fn base64_is_the_base64_crates(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
        use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
        use base64::Engine;
        use partner_oauth::core::encoding::{b64, b64url};
        prop_assert_eq!(b64url(&bytes), URL_SAFE_NO_PAD.encode(&bytes));
        prop_assert_eq!(b64(&bytes), STANDARD.encode(&bytes));
    }

    /// The in-place encoders, after a prefix already in the buffer (the
    /// start writes its parts one after the other).
    #[test]
    fn base64_in_place_is_the_base64_crates(prefix in proptest::collection::vec(any::<u8>(), 0..5), bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        use base64::Engine;
        use partner_oauth::core::encoding::{b64url_in_place, b64url_tail, push_b64url};
        let expected = [prefix.clone(), URL_SAFE_NO_PAD.encode(&bytes).into_bytes()].concat();
        let mut out = prefix.clone();
        push_b64url(&mut out, &bytes);
        prop_assert_eq!(&out, &expected);
        let mut out = [prefix.clone(), bytes.clone()].concat();
        b64url_tail(&mut out, prefix.len());
        prop_assert_eq!(&out, &expected);
        let mut buf = [0u8; 64];
        buf[..bytes.len()].copy_from_slice(&bytes);
        let len = b64url_in_place(&mut buf, bytes.len());
        prop_assert_eq!(&buf[..len], &expected[prefix.len()..]);
        prop_assert_eq!(b64url_in_place(&mut buf[..len.saturating_sub(1)], bytes.len()), 0);
    }

    #[test]
    fn base64_decoding_is_the_base64_crates(text in "[A-Za-z0-9_+/=-]{0,14}", encoded in proptest::collection::vec(any::<u8>(), 0..12)) {
        use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
        use base64::Engine;
        use partner_oauth::core::encoding::{b64_decode, b64url_decode};
        let valid_url = URL_SAFE_NO_PAD.encode(&encoded);
        let valid_standard = STANDARD.encode(&encoded);
        for text in [text.as_str(), &valid_url, &valid_standard, valid_standard.trim_end_matches('=')] {
            prop_assert_eq!(b64url_decode(text), URL_SAFE_NO_PAD.decode(text).ok(), "{}", text);
            prop_assert_eq!(b64_decode(text), STANDARD.decode(text).ok(), "{}", text);
        }
    }
}

/// Every text of up to five symbols from an alphabet that reaches each
/// refusal (low bits left over, a lone last symbol, padding in the wrong
/// place or amount, the other alphabet's symbols, bytes outside both)
/// decodes as the base64 crate decodes it, in both alphabets: the decoder
/// checks a group's symbols with one flag test and, unpadded, leaves a lone
/// last symbol to its remainder match (callback26).
#[test]
fn base64_decoding_of_every_short_text_is_the_base64_crates() {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    use base64::Engine;
    use partner_oauth::core::encoding::{b64_decode, b64url_decode};
    // Every symbol kind up to five; fewer kinds up to eight, for padding
    // after a whole group.
    let mut text = Vec::new();
    for (symbols, longest) in [(&b"ABQgw8-_+/= "[..], 5), (b"Aw-+=", 8)] {
        for len in 0..=longest {
            for mut n in 0..symbols.len().pow(len) {
                text.clear();
                for _ in 0..len {
                    text.push(symbols[n % symbols.len()]);
                    n /= symbols.len();
                }
                let text = std::str::from_utf8(&text).unwrap();
                assert_eq!(
                    b64url_decode(text),
                    URL_SAFE_NO_PAD.decode(text).ok(),
                    "{text:?}"
                );
                assert_eq!(b64_decode(text), STANDARD.decode(text).ok(), "{text:?}");
            }
        }
    }
    for text in ["é", "Zé", "Zm9é", "Zm9vé"] {
        assert_eq!(b64url_decode(text), None, "{text:?}");
        assert_eq!(b64_decode(text), None, "{text:?}");
    }
}
