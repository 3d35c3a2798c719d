//! The JS API in Node (the runner's default for files without
//! `run_in_browser`).
#![cfg(target_arch = "wasm32")]

#[path = "wasm/exchange.rs"]
mod exchange;
#[path = "wasm/flow.rs"]
mod flow;

use flow::*;
use wasm_bindgen_test::wasm_bindgen_test;

// Node has no DOM: a server may hold the client secret.
#[wasm_bindgen_test]
fn a_server_may_hold_the_client_secret() {
    let client = client("billit", r#","clientSecret":"server-side-secret""#);
    assert_eq!(client.provider(), "billit");
}
