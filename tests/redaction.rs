//! Secrets never appear in Debug output or error text.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use partner_oauth::StartOptions;
use serde_json::json;

const CLIENT_SECRET: &str = "MARKER-client-secret-7f3a";
const CODE: &str = "MARKER-code-91bd";

#[test]
fn debug_of_client_started_and_callback_hides_secrets() {
    let client = client(
        "tropipay",
        json!({"clientSecret": CLIENT_SECRET, "stateKey": KEY}),
    );
    let started = client
        .start_authorization(&StartOptions::default(), NOW, &entropy())
        .unwrap();
    let callback = client
        .parse_callback(
            &format!("{REDIRECT}?code={CODE}&state={}", started.state),
            started.pending.expose(),
            NOW,
        )
        .unwrap();
    let pending = client.open_pending(started.pending.expose()).unwrap();
    let printed = format!("{client:?} {started:?} {callback:?} {pending:?}");
    let verifier = pending.verifier.as_ref().unwrap().expose();
    for secret in [CLIENT_SECRET, CODE, KEY, verifier, started.pending.expose()] {
        assert!(!printed.contains(secret), "{secret} leaked into {printed}");
    }
    assert!(printed.contains("[redacted]"));
}

#[test]
fn errors_never_echo_the_callback_code() {
    let client = client("billit", json!({}));
    let started = client
        .start_authorization(&StartOptions::default(), NOW, &entropy())
        .unwrap();
    let inputs = [
        format!("{REDIRECT}?code={CODE}&code={CODE}"),
        format!("{REDIRECT}?code={CODE}&state=wrong"),
        format!("{REDIRECT}#code={CODE}&state={}", started.state),
    ];
    for input in inputs {
        let err = client
            .parse_callback(&input, started.pending.expose(), NOW)
            .unwrap_err();
        let printed = format!("{err} {err:?}");
        assert!(!printed.contains(CODE), "{printed}");
    }
}
