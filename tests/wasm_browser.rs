//! The JS API in a real headless Chromium page.
#![cfg(target_arch = "wasm32")]

#[path = "wasm/exchange.rs"]
mod exchange;
#[path = "wasm/flow.rs"]
mod flow;

use flow::*;
use partner_oauth::wasm::OAuthClient;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

// A page has a DOM: a client secret there is readable by anyone.
#[wasm_bindgen_test]
fn a_page_refuses_the_client_secret() {
    let options = obj(&format!(
        r#"{{"provider":"billit","clientId":"c","redirectUri":"{REDIRECT}","clientSecret":"s"}}"#
    ));
    let error = OAuthClient::from_options(options)
        .err()
        .expect("must throw");
    assert_eq!(code(error), "secret_in_browser");
}

// A page's state key signs nothing a visitor could not sign.
#[wasm_bindgen_test]
fn a_page_refuses_the_state_key() {
    let options = obj(&format!(
        r#"{{"provider":"billit","clientId":"c","redirectUri":"{REDIRECT}","stateKey":"{KEY}"}}"#
    ));
    let error = OAuthClient::from_options(options)
        .err()
        .expect("must throw");
    assert_eq!(code(error), "secret_in_browser");
}

#[wasm_bindgen_test]
fn a_page_may_opt_in_for_tests() {
    let client = client(
        "billit",
        r#","clientSecret":"s","dangerouslyAllowSecretInBrowser":true"#,
    );
    assert_eq!(client.environment().unwrap(), "production");
}
