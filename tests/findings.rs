//! Issue 15 (security review): one test per finding, named after it. Each
//! failed on the code before its fix (see SECURITY.md for the commits).
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use partner_oauth::core::pending::Pending;
use partner_oauth::{Client, ErrorCode, Secret, StartOptions};
use serde_json::json;

fn start(client: &Client) -> (String, String) {
    let s = client
        .start_authorization(&StartOptions::default(), NOW, &entropy())
        .unwrap();
    (s.state, s.pending.expose().to_owned())
}

/// The unsealed pending value `client` made, opened, edited and re-made:
/// what anyone holding it can do when there is no stateKey.
fn edited(client: &Client, edit: impl Fn(&mut Pending)) -> String {
    let (_, pending) = start(client);
    let mut opened = client.open_pending(&pending).unwrap();
    edit(&mut opened);
    opened.seal(None).unwrap().expose().to_owned()
}

// Finding 1: a confidential TropiPay client (PKCE required) exchanged a code
// with no code_verifier once the verifier was cut out of the pending value.
#[test]
fn finding_1_a_pending_value_stripped_of_its_verifier_is_refused() {
    for provider in ["tropipay", "payout"] {
        let client = client(provider, json!({"clientSecret": "SECRET-1"}));
        let stripped = edited(&client, |p| p.verifier = None);
        let pending = client.open_pending(&stripped).unwrap();
        let result = client.code_request(&Secret::new("CODE-1"), &pending);
        assert_eq!(code_of(result), ErrorCode::InvalidPending, "{provider}");
    }
    // A preset without PKCE still exchanges without a verifier.
    let billit = client("billit", json!({"clientSecret": "SECRET-1"}));
    let (_, pending) = start(&billit);
    let pending = billit.open_pending(&pending).unwrap();
    assert!(billit
        .code_request(&Secret::new("CODE-1"), &pending)
        .is_ok());
}

// Finding 1: the redirect_uri sent with the code is the configured one, not
// whatever an edited pending value says.
#[test]
fn finding_1_the_code_request_sends_the_configured_redirect_uri() {
    let client = client("tropipay", json!({"clientSecret": "SECRET-1"}));
    let forged = edited(&client, |p| {
        p.redirect_uri = "https://evil.example/cb".into();
    });
    let pending = client.open_pending(&forged).unwrap();
    let request = client
        .code_request(&Secret::new("CODE-1"), &pending)
        .unwrap();
    let body = request.body.unwrap();
    assert!(!body.contains("evil"), "{body}");
    assert!(
        body.contains(&format!(r#""redirect_uri":"{REDIRECT}""#)),
        "{body}"
    );
}

// Finding 1: a pending value made for the sandbox is refused by a production
// client of the same provider and client id, and the other way round.
#[test]
fn finding_1_a_pending_value_of_another_environment_is_refused() {
    let sandbox = client("billit", json!({"environment": "sandbox"}));
    let production = client("billit", json!({"environment": "production"}));
    let (state, pending) = start(&sandbox);
    let callback = format!("{REDIRECT}?code=a&state={state}");
    assert_eq!(
        code_of(production.parse_callback(&callback, &pending, NOW)),
        ErrorCode::ProviderMismatch
    );
    assert_eq!(
        code_of(production.open_pending(&pending)),
        ErrorCode::ProviderMismatch
    );
    let (state, pending) = start(&production);
    let callback = format!("{REDIRECT}?code=a&state={state}");
    assert_eq!(
        code_of(sandbox.parse_callback(&callback, &pending, NOW)),
        ErrorCode::ProviderMismatch
    );
    assert!(production.parse_callback(&callback, &pending, NOW).is_ok());
}
