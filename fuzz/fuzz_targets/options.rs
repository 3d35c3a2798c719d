//! Client options from any JSON: a client or a typed error, and the error
//! never repeats the clientSecret or stateKey it was given.
#![no_main]
mod common;
use common::*;
use libfuzzer_sys::fuzz_target;
use partner_oauth::core::json::{self, Json};
use partner_oauth::{Client, ClientOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let secrets: Vec<String> = json::parse(text)
        .map(|v| {
            ["clientSecret", "stateKey"]
                .iter()
                .filter_map(|k| v.get(k).and_then(Json::as_str).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let error = match ClientOptions::from_json(text) {
        Ok(options) => match Client::new(options) {
            Ok(_) => return,
            Err(e) => e,
        },
        Err(e) => e,
    };
    assert_known_code(&error);
    for secret in &secrets {
        assert_absent(&printed(&error), secret);
    }
});
