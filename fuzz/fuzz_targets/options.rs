//! Client options from any JSON: a client or a typed error, and the error
//! never repeats a clientSecret or stateKey. Checked differentially: each
//! secret is replaced by a marker, which must not appear (a secret that
//! happens to spell fixed text, like "provider", is no leak).
#![no_main]
mod common;
use common::*;
use libfuzzer_sys::fuzz_target;
use partner_oauth::core::json::{self, Json};
use partner_oauth::{Client, ClientOptions};

const MARKER: &str = "Mk7Q-MARKER-Q7kM";

fn error_of(text: &str) -> Option<partner_oauth::Error> {
    match ClientOptions::from_json(text) {
        Ok(options) => Client::new(options).err(),
        Err(e) => Some(e),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Some(error) = error_of(text) else { return };
    assert_known_code(&error);
    let Some(value) = json::parse(text) else { return };
    let mut secrets: Vec<String> = Vec::new();
    for key in ["clientSecret", "stateKey"] {
        match value.get(key) {
            Some(Json::String(s)) => secrets.push(s.clone()),
            Some(Json::Array(list)) => secrets.extend(list.iter().filter_map(Json::as_str).map(str::to_owned)),
            _ => {}
        }
    }
    // At most four: a stateKey list of hundreds would re-parse per entry.
    for secret in secrets.iter().filter(|s| s.len() >= 4 && text.contains(s.as_str())).take(4) {
        if let Some(probe) = error_of(&text.replace(secret.as_str(), MARKER)) {
            assert_absent(&printed(&probe), MARKER);
        }
    }
});
