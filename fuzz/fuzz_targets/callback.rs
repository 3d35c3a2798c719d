//! Any callback URL or query against a real pending value: the flow's code,
//! or a typed error. A marker code appended as its own parameter never
//! appears in any printed form of an error.
#![no_main]
mod common;
use common::*;
use libfuzzer_sys::fuzz_target;
use partner_oauth::{Entropy, StartOptions, Started};
use std::sync::OnceLock;

const CODE: &str = "FUZZ-CODE-MARKER-5a1c";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    static STARTED: OnceLock<Started> = OnceLock::new();
    let client = cached("payout");
    let started = STARTED.get_or_init(|| {
        let entropy = Entropy { verifier: [1; 32], nonce: [2; 16] };
        client.start_authorization(&StartOptions::default(), NOW, &entropy).expect("start")
    });
    // A third of inputs carry the right state, so the parser gets past it.
    let input = match data.first().map(|b| b % 3) {
        Some(0) => format!("https://app.example.com/cb?state={}&{text}&code={CODE}", started.state),
        Some(1) => format!("https://app.example.com/cb?{text}&code={CODE}"),
        _ => text.to_owned(),
    };
    match client.parse_callback(&input, started.pending.expose(), NOW) {
        Ok(callback) => {
            assert_eq!(callback.state, started.state);
            assert!(!callback.code.expose().is_empty());
            assert_absent(&format!("{callback:?}"), CODE);
        }
        Err(e) => {
            assert_known_code(&e);
            assert_absent(&printed(&e), CODE);
        }
    }
});
