//! `Client::start_authorization` (one byte buffer, `Client::write_start`)
//! against the start as it was (`core::start_oracle`: `form_urlencoded`,
//! `String`s and `Vec`s), on random options for every preset, keyed or not,
//! and custom clients with overridden parameters and separators: the same
//! URL, state, pending value, flow id and expiry, or the same error code and
//! message.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use partner_oauth::core::providers::PROVIDERS;
use partner_oauth::core::start_oracle;
use partner_oauth::{Client, Entropy, StartOptions};
use proptest::prelude::*;
use serde_json::json;

fn clients() -> Vec<Client> {
    let mut clients = Vec::new();
    for (name, _) in PROVIDERS {
        if *name == "custom" {
            continue;
        }
        clients.push(client(name, json!({})));
        clients.push(client(name, json!({ "stateKey": [KEY, OTHER_KEY] })));
    }
    let custom = |extra: serde_json::Value| {
        let mut options = json!({ "endpoints": { "authorize": "https://id.example.com/a?tenant=a%20b", "token": "https://id.example.com/t" } });
        if let (Some(base), Some(extra)) = (options.as_object_mut(), extra.as_object()) {
            base.extend(extra.clone());
        }
        client("custom", options)
    };
    clients.push(custom(json!({})));
    clients.push(custom(
        json!({ "stateKey": KEY, "preset": { "scopeSeparator": ",", "pkce": "unsupported",
        "responseType": false, "authorizeParams": { "audience": "api", "Prompt": "x y" } } }),
    ));
    clients.push(custom(
        json!({ "preset": { "scopeSeparator": "", "authorizeParams": {} } }),
    ));
    clients.push(custom(
        json!({ "preset": { "grants": ["client_credentials"] } }),
    ));
    // No redirect URI: a start must refuse.
    clients.push(
        Client::new(
            partner_oauth::ClientOptions::from_json(
                &json!({ "provider": "billit", "clientId": "c d&é" }).to_string(),
            )
            .unwrap(),
        )
        .unwrap(),
    );
    clients
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z:._-]{1,8}",
        "[ -~]{0,6}",
        any::<String>(),
        Just(",".to_owned()),
        Just("a,b".to_owned()),
    ]
}

fn start_options() -> impl Strategy<Value = StartOptions> {
    let names = prop_oneof![
        Just("prompt".to_owned()),
        Just("PROMPT".to_owned()),
        Just("Scope".to_owned()),
        Just("state".to_owned()),
        Just("audience".to_owned()),
        Just("user_type".to_owned()),
        Just("login_hint".to_owned()),
        text(),
    ];
    (
        prop_oneof![
            proptest::collection::vec(text(), 0..4),
            proptest::collection::vec(Just("s".to_owned()), 99..102),
        ],
        proptest::option::of(prop_oneof![any::<String>(), "[a]{2040,2050}"]),
        proptest::option::of(prop_oneof![
            Just("user".to_owned()),
            Just("company".to_owned()),
            text()
        ]),
        proptest::collection::vec((names, text()), 0..4),
    )
        .prop_map(|(scopes, payload, token_kind, params)| StartOptions {
            scopes,
            payload,
            token_kind,
            params,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn the_start_agrees_with_the_oracle(
        which in any::<prop::sample::Index>(),
        options in start_options(),
        now in prop_oneof![Just(NOW), any::<u64>()],
        verifier in any::<[u8; 32]>(),
        nonce in any::<[u8; 16]>(),
    ) {
        let clients = clients();
        let client = which.get(&clients);
        let entropy = Entropy { verifier, nonce };
        let ours = client.start_authorization(&options, now, &entropy);
        let oracle = start_oracle::start_authorization(client, &options, now, &entropy);
        match (ours, oracle) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a.url, b.url);
                prop_assert_eq!(a.state, b.state);
                prop_assert_eq!(a.pending.expose(), b.pending.expose());
                prop_assert_eq!(a.flow_id, b.flow_id);
                prop_assert_eq!(a.flow_expires_at, b.flow_expires_at);
            }
            (Err(a), Err(b)) => {
                prop_assert_eq!(a.code(), b.code());
                prop_assert_eq!(a.detail(), b.detail());
            }
            (a, b) => prop_assert!(false, "ours {:?}, oracle {:?}", a.map(|s| s.url), b.map(|s| s.url)),
        }
    }
}
