//! `Client::parse_callback` against today's implementation kept as the
//! oracle (`core::oracle`, as the `callback_diff` fuzz target compares them),
//! on the inputs where a hand-written form decoder and byte scans could
//! differ from `form_urlencoded` and std's searching.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use partner_oauth::core::oracle;
use serde_json::json;

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
                let ours = client.parse_callback(&input, started.pending.expose(), NOW + 1);
                let theirs =
                    oracle::parse_callback(&client, &input, started.pending.expose(), NOW + 1);
                match (&ours, &theirs) {
                    (Ok(a), Ok(b)) => {
                        assert_eq!(a.code.expose(), b.code.expose(), "{input}");
                        assert_eq!(
                            (&a.payload, &a.iss, &a.flow_id),
                            (&b.payload, &b.iss, &b.flow_id)
                        );
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
                            "{input}"
                        );
                    }
                    _ => panic!("{input}: ours {ours:?}, oracle {theirs:?}"),
                }
            }
        }
    }
}
