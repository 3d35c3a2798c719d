//! `Client::parse_callback` against today's implementation kept as the
//! oracle (`core::oracle`, as the `callback_diff` fuzz target compares them),
//! on the inputs where a hand-written form decoder and byte scans could
//! differ from `form_urlencoded` and std's searching, and on forged, truncated
//! and re-signed states and pending values, which reach the oracle's own
//! decoders (`core::oracle::decoders`).
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use partner_oauth::core::encoding::b64url;
use partner_oauth::core::keys::{Purpose, StateKeys};
use partner_oauth::core::oracle::{self, decoders};
use partner_oauth::core::pending::Pending;
use partner_oauth::core::state;
use partner_oauth::{Client, Secret};
use serde_json::json;
use std::collections::BTreeSet;

/// Both accept with equal fields, or both refuse alike; the oracle's
/// refusal message, if any.
fn agree(client: &Client, input: &str, pending: &str, now: u64) -> Option<String> {
    let ours = client.parse_callback(input, pending, now);
    let theirs = oracle::parse_callback(client, input, pending, now);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.code.expose(), b.code.expose(), "{input}");
            assert_eq!(
                (
                    &a.state,
                    &a.payload,
                    a.payload_verified,
                    &a.iss,
                    &a.flow_id,
                    a.flow_expires_at
                ),
                (
                    &b.state,
                    &b.payload,
                    b.payload_verified,
                    &b.iss,
                    &b.flow_id,
                    b.flow_expires_at
                ),
                "{input}"
            );
            None
        }
        (Err(a), Err(b)) => {
            assert_eq!(
                (
                    a.code(),
                    a.detail(),
                    a.provider_code(),
                    a.provider_message()
                ),
                (
                    b.code(),
                    b.detail(),
                    b.provider_code(),
                    b.provider_message()
                ),
                "{input} with {pending}"
            );
            Some(b.detail().to_owned())
        }
        _ => panic!("{input} with {pending}: ours {ours:?}, oracle {theirs:?}"),
    }
}

#[test]
fn the_callback_reader_agrees_with_the_oracle() {
    let started_for = |client: &partner_oauth::Client| {
        client
            .start_authorization(&Default::default(), NOW, &entropy())
            .unwrap()
    };
    let queries = [
        "code=a",
        "code=a+b",
        "code=a%2Bb",
        "code=%zz",
        "code=%4",
        "code=%",
        "code=%%41",
        "code=a&&&",
        "&code=a",
        "code",
        "code=",
        "=x&code=a",
        "code==a",
        "code=a=b",
        "code=%C2%80",
        "code=%C2%9F",
        "code=%C2%A0",
        "code=%C3",
        "code=%C3%28",
        "code=%E0%C2%80",
        "code=%EF%BF%BD",
        "%EF%BF%BD=1&code=a",
        "%FF=1&code=a",
        "code=%7F",
        "code=%00",
        "code=%1F",
        "code=%0A%C3",
        "code=\u{80}",
        "code=é",
        "code=a&code=b",
        "code=a&Code=b",
        "co%64e=a",
        "code=a#frag",
        "#code=a",
        "x=1#code=a&state=s",
        "error=access_denied",
        "error=x&error_description=%E2%9C%93+done",
        "error=%FF",
        "state=",
        "iss=%",
        "authorization_code=z",
        "code=a&state=a.b.c",
    ];
    for client in [
        client("payout", json!({})),
        client("payout", json!({ "stateKey": KEY })),
        client(
            "custom",
            json!({ "endpoints": { "authorize": "https://as.example.com/a" },
            "preset": { "issuer": "https://as.example.com" } }),
        ),
    ] {
        let started = started_for(&client);
        let state = &started.state;
        for query in queries {
            let inputs = [
                query.to_owned(),
                format!("?{query}"),
                format!("{query}&state={state}&iss=https%3A%2F%2Fas.example.com"),
                format!("https://app.example.com/cb?state={state}&{query}"),
                format!("https://u@[::1]:8/cb?state={state}&{query}"),
                format!("http://127.0.0.1:99999/cb?{query}"),
                format!("https://a.xn--b.c/?{query}"),
                format!("https://0x7f.1/?{query}"),
                format!("https://app.example.com:/?{query}"),
                format!("https:/app.example.com/?{query}"),
            ];
            for input in inputs {
                agree(&client, &input, started.pending.expose(), NOW + 1);
            }
        }
    }
}

/// Every byte but unreserved ones percent-encoded: the callback carries the
/// forged state exactly.
fn query_value(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A state's bytes: version, flags, created-at, nonce, payload.
fn state_body(version: u8, flags: u8, created_at: u64, payload: &[u8]) -> Vec<u8> {
    let mut body = vec![version, flags];
    body.extend_from_slice(&created_at.to_be_bytes());
    body.extend_from_slice(&[7; 16]);
    body.extend_from_slice(payload);
    body
}

/// A pending value's bytes: created-at, then each field as a 2-byte length
/// (0xFFFF: absent) and its bytes.
fn pending_fields(created_at: u64, fields: &[Option<&[u8]>]) -> Vec<u8> {
    let mut bytes = created_at.to_be_bytes().to_vec();
    for field in fields {
        match field {
            Some(text) => {
                bytes.extend_from_slice(&(text.len() as u16).to_be_bytes());
                bytes.extend_from_slice(text);
            }
            None => bytes.extend_from_slice(&u16::MAX.to_be_bytes()),
        }
    }
    bytes
}

/// A pending value's fields, the verifier shown.
fn opened(p: &Pending) -> (u64, [Option<&str>; 7]) {
    let fields = [
        Some(p.provider.as_str()),
        Some(&p.client_id),
        Some(&p.environment),
        Some(&p.state),
        Some(&p.redirect_uri),
        p.verifier.as_ref().map(Secret::expose),
        p.token_kind.as_deref(),
    ];
    (p.created_at, fields)
}

#[test]
fn forged_states_and_pending_values_agree_with_the_oracle() {
    let keys = StateKeys::new(vec![Secret::new(KEY)]).unwrap();
    let sign = |purpose, text: &str| b64url(&keys.sign(purpose, text.as_bytes()));
    let keyed = client("payout", json!({ "stateKey": KEY }));
    let unkeyed = client("payout", json!({}));
    let genuine = keyed.open_pending(
        keyed
            .start_authorization(&Default::default(), NOW, &entropy())
            .unwrap()
            .pending
            .expose(),
    );
    let genuine = genuine.unwrap();
    let fields = |state: &[u8]| -> Vec<Option<Vec<u8>>> {
        vec![
            Some(genuine.provider.as_bytes().to_vec()),
            Some(genuine.client_id.as_bytes().to_vec()),
            Some(genuine.environment.as_bytes().to_vec()),
            Some(state.to_vec()),
            Some(genuine.redirect_uri.as_bytes().to_vec()),
            genuine
                .verifier
                .as_ref()
                .map(|v| v.expose().as_bytes().to_vec()),
            genuine.token_kind.as_ref().map(|k| k.as_bytes().to_vec()),
        ]
    };
    let pack = |created_at: u64, fields: &[Option<Vec<u8>>]| {
        let refs: Vec<Option<&[u8]>> = fields.iter().map(|f| f.as_deref()).collect();
        pending_fields(created_at, &refs)
    };

    // State bodies: valid, then each check of the body's reader.
    let mut bodies = vec![
        state_body(1, 1, NOW, b"p=1&\xc3\xbc"),
        state_body(1, 0, NOW, b""),
        state_body(1, 1, NOW, b""),
        state_body(1, 0, NOW, b"x"),
        state_body(0, 0, NOW, b""),
        state_body(2, 1, NOW, b"p"),
        state_body(1, 2, NOW, b""),
        state_body(1, 3, NOW, b"p"),
        state_body(1, 1, NOW, b"\xff"),
        state_body(1, 1, NOW, b"\xef\xbb\xbfbom"),
        state_body(1, 1, NOW, &[b'a'; 2048]),
        state_body(1, 1, NOW, &[b'a'; 2049]),
        state_body(1, 1, NOW, &[b'a'; 3000]),
        state_body(1, 1, NOW, &[b'a'; 3100]),
        state_body(1, 1, NOW + 302, b"future"),
        state_body(1, 1, NOW - 10_000, b"old"),
        state_body(1, 1, u64::MAX, b""),
        state_body(1, 1, 0, b""),
    ];
    let full = state_body(1, 1, NOW, b"pq");
    bodies.extend([0, 1, 2, 9, 10, 11, 25, 26, 27].map(|n| full[..n].to_vec()));

    // State texts: each body, then the text of a valid one altered.
    let mut texts: Vec<String> = bodies.iter().map(|body| b64url(body)).collect();
    let valid = b64url(&full);
    let mut last_bit = valid.clone().into_bytes();
    *last_bit.last_mut().unwrap() += 1; // a bit left over in the last symbol
    texts.extend([
        format!("{valid}="),
        format!("{valid}A"),
        format!("{valid}AA"),
        format!("+{}", &valid[1..]),
        format!("/{}", &valid[1..]),
        format!("{valid} "),
        String::from_utf8(last_bit).unwrap(),
        valid[..valid.len() - 1].to_owned(),
        valid[..valid.len() - 2].to_owned(),
        String::new(),
    ]);

    // Each text with its signature, none, and signatures altered.
    let mut states = Vec::new();
    for text in &texts {
        let signature = sign(Purpose::State, text);
        states.extend([
            format!("{text}.{signature}"),
            text.clone(),
            format!("{text}."),
            format!("{text}.{signature}.{signature}"),
            format!("{text}.{signature}."),
            format!("{text}..{signature}"),
            format!("{text}.{}", &signature[..signature.len() - 1]),
            format!("{text}.{signature}A"),
            format!("{text}.{signature}="),
            format!("{text}.{}", sign(Purpose::Pending, text)),
            format!(
                "{text}.{}",
                b64url(&keys.sign(Purpose::State, text.as_bytes())[..31])
            ),
            format!("{text}.{}", sign(Purpose::State, &valid)),
        ]);
    }
    let long = "A".repeat(4097);
    states.push(long.clone());
    states.push(format!(
        "{}.{}",
        &long[..4000],
        sign(Purpose::State, &long[..4000])
    ));

    // Pending bodies: genuine fields around each state, then the fields
    // altered around a valid signed state.
    let valid_state = format!("{valid}.{}", sign(Purpose::State, &valid));
    let mut pendings: Vec<(Vec<u8>, String)> = states
        .iter()
        .map(|state| (pack(NOW, &fields(state.as_bytes())), state.clone()))
        .collect();
    let good = fields(valid_state.as_bytes());
    let packed = pack(NOW, &good);
    let mut altered = Vec::new();
    for n in 0..packed.len() {
        altered.push(packed[..n].to_vec());
    }
    altered.push([&packed[..], b"\0"].concat());
    for i in 0..good.len() {
        let mut absent = good.clone();
        absent[i] = None;
        altered.push(pack(NOW, &absent));
        let mut bad = good.clone();
        if let Some(field) = &mut bad[i] {
            field.push(0xff);
        }
        altered.push(pack(NOW, &bad));
        let mut empty = good.clone();
        empty[i] = Some(Vec::new());
        altered.push(pack(NOW, &empty));
    }
    let mut long_field = packed.clone();
    long_field[8] = 0x7f; // the provider's length past the end
    altered.push(long_field);
    altered.extend([NOW + 400, NOW - 700, 0, u64::MAX].map(|at| pack(at, &good)));
    pendings.extend(
        altered
            .into_iter()
            .map(|bytes| (bytes, valid_state.clone())),
    );

    let mut refusals = BTreeSet::new();
    let mut accepted = 0;
    let mut check = |pending: &str, state: &str| {
        let input = format!(
            "https://app.example.com/cb?code=c&state={}",
            query_value(state)
        );
        for (client, keys) in [(&keyed, Some(&keys)), (&unkeyed, None)] {
            for now in [NOW + 1, NOW + 650] {
                match agree(client, &input, pending, now) {
                    Some(refusal) => refusals.insert(refusal),
                    None => {
                        accepted += 1;
                        true
                    }
                };
                let (ours, theirs) = (
                    state::decode(state, keys, now, 600),
                    decoders::decode_state(state, keys, now, 600),
                );
                match (&ours, &theirs) {
                    (Ok(a), Ok(b)) => assert_eq!(a, b, "{state}"),
                    (Err(a), Err(b)) => {
                        assert_eq!((a.code(), a.detail()), (b.code(), b.detail()), "{state}")
                    }
                    _ => panic!("{state}: ours {ours:?}, oracle {theirs:?}"),
                }
            }
            let (ours, theirs) = (
                Pending::open(pending, keys),
                decoders::open_pending(pending, keys),
            );
            match (&ours, &theirs) {
                (Ok(a), Ok(b)) => assert_eq!(opened(a), opened(b), "{pending}"),
                (Err(a), Err(b)) => {
                    assert_eq!((a.code(), a.detail()), (b.code(), b.detail()), "{pending}")
                }
                _ => panic!("{pending}: ours {ours:?}, oracle {theirs:?}"),
            }
        }
    };
    for (bytes, state) in &pendings {
        let body = b64url(bytes);
        let signed = format!("p2.{body}");
        let tag = sign(Purpose::Pending, &signed);
        for pending in [
            format!("{signed}.{tag}"),
            signed.clone(),
            format!("{signed}."),
            format!("{signed}.{}", &tag[..tag.len() - 1]),
            format!("{signed}.{tag}A"),
            format!("{signed}.{tag}.{tag}"),
            format!("{signed}.{}", sign(Purpose::State, &signed)),
        ] {
            check(&pending, state);
        }
    }
    // The pending value's text altered, each re-sealed.
    let body = b64url(&pack(NOW, &good));
    for text in [
        format!("p2.{body}="),
        format!("p2.{body}A"),
        format!("p2.+{}", &body[1..]),
        format!("p2.{}", &body[..body.len() - 1]),
        "p2.".to_owned(),
        "p2".to_owned(),
        format!("p1.{body}"),
        format!("P2.{body}"),
        body.clone(),
        format!("p2.{}", "A".repeat(8200)),
        format!("p2.{}", "A".repeat(8120)),
    ] {
        check(
            &format!("{text}.{}", sign(Purpose::Pending, &text)),
            &valid_state,
        );
        check(&text, &valid_state);
    }
    check("", &valid_state);

    // The forged values reached every check of both decoders.
    assert!(accepted > 0);
    for reached in [
        "the state has more than two parts",
        "the state is not signed, but a stateKey is set",
        "the state's signature does not verify: it was forged or altered",
        "the state is not base64url",
        "the state is truncated",
        "the state has an unknown version",
        "the state payload is larger than 2048 bytes",
        "the state payload is not UTF-8",
        "the state has trailing bytes",
        "the state was created in the future",
        "the authorization flow is older than 600 seconds",
        "the state is longer than 4096 characters",
        "the pending value is longer than 8192 characters",
        "the pending value is not one this library made",
        "the pending value is not sealed, but a stateKey is set",
        "the pending value's seal does not verify: it was altered or sealed with another key",
        "the pending value is not base64url",
        "the pending value is malformed",
    ] {
        assert!(refusals.contains(reached), "never refused: {reached}");
    }
}
