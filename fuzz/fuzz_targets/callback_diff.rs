//! Differential: `Client::parse_callback` against today's implementation
//! kept as the oracle (`core::oracle`, feature `oracle`: `form_urlencoded`
//! for the query, std's searching in the URL reader), issue 26. Any callback
//! URL or query, against a real pending value or a mutated one, for a keyed
//! and an unkeyed client and one expecting an issuer: both accept with equal
//! fields, or both refuse with the same code, message and provider fields.
//! A disagreement is a bug in the new reader.
#![no_main]
mod common;
use common::*;
use libfuzzer_sys::fuzz_target;
use partner_oauth::core::oracle;
use partner_oauth::{Client, ClientOptions, Entropy, Error, StartOptions, Started};
use std::sync::OnceLock;

struct Case {
    client: Client,
    started: Started,
}

fn cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        let key = format!(r#","stateKey":"{KEY}""#);
        let issuer = format!(r#"{key},"preset":{{"issuer":"https://as.example.com"}}"#);
        [("payout", key.as_str()), ("payout", ""), ("custom", &issuer), ("tropipay", "")]
            .into_iter()
            .map(|(provider, extra)| {
                let text = format!(
                    r#"{{"provider":"{provider}","clientId":"fuzz-client","redirectUri":"https://app.example.com/cb",
                        "endpoints":{{"authorize":"https://as.example.com/a","token":"https://as.example.com/t"}}{extra}}}"#
                );
                let client = Client::new(ClientOptions::from_json(&text).expect("options")).expect("client");
                let entropy = Entropy { verifier: [1; 32], nonce: [2; 16] };
                let options = StartOptions { payload: Some("p=1&ü".into()), ..Default::default() };
                let started = client.start_authorization(&options, NOW, &entropy).expect("start");
                Case { client, started }
            })
            .collect()
    })
}

fn same_error(a: &Error, b: &Error) -> bool {
    a.code() == b.code()
        && a.detail() == b.detail()
        && a.provider_code() == b.provider_code()
        && a.provider_message() == b.provider_message()
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let case = &cases()[usize::from(selector % 4)];
    let state = &case.started.state;
    let input = match (selector / 4) % 4 {
        0 => format!("https://app.example.com/cb?state={state}&{text}"),
        1 => format!("?{text}&state={state}&iss=https%3A%2F%2Fas.example.com"),
        2 => format!("https://app.example.com/cb?{text}"),
        _ => text.to_owned(),
    };
    // A sixteenth of inputs read the text as the pending value instead.
    let pending = match selector / 16 {
        0 => text,
        _ => case.started.pending.expose(),
    };
    let now = NOW + u64::from(selector % 8) * 200;
    let ours = case.client.parse_callback(&input, pending, now);
    let theirs = oracle::parse_callback(&case.client, &input, pending, now);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.code.expose(), b.code.expose(), "{input:?}");
            assert_eq!(
                (&a.state, &a.payload, a.payload_verified, &a.iss, &a.flow_id, a.flow_expires_at),
                (&b.state, &b.payload, b.payload_verified, &b.iss, &b.flow_id, b.flow_expires_at),
                "{input:?}"
            );
        }
        (Err(a), Err(b)) => assert!(same_error(a, b), "{input:?}: ours {a:?}, oracle {b:?}"),
        _ => panic!("{input:?}: ours {ours:?}, oracle {theirs:?}"),
    }
});
