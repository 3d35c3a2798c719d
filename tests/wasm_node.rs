//! The JS API in Node (the runner's default for files without
//! `run_in_browser`).
#![cfg(target_arch = "wasm32")]

#[path = "wasm/exchange.rs"]
mod exchange;
#[path = "wasm/flow.rs"]
mod flow;

use flow::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

// Node has no DOM: a server may hold the client secret, with no opt-in, and
// it is the secret the token request sends (Billit: in the JSON body).
#[wasm_bindgen_test]
fn a_server_may_hold_the_client_secret() {
    let client = client("billit", r#","clientSecret":"server-side-secret""#);
    assert_eq!(client.provider().unwrap(), "billit");
    let exchange = client
        .prepare_refresh(JsValue::from_str("old-rt"), JsValue::UNDEFINED)
        .map_err(code)
        .unwrap();
    let request = exchange.request().unwrap();
    let body: serde_json::Value = serde_json::from_str(&text(&request, "body")).unwrap();
    assert_eq!(body["client_id"], "client-123");
    assert_eq!(body["client_secret"], "server-side-secret");
    assert_eq!(body["grant_type"], "refresh_token");
    assert_eq!(body["refresh_token"], "old-rt");
}
