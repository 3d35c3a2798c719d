//! Shared by the fuzz targets: fixed clients, marker secrets, and the check
//! that no secret appears in an error, in any encoding.
#![allow(dead_code)]

use partner_oauth::{Client, ClientOptions, Error, ErrorCode};

pub const NOW: u64 = 1_700_000_000;
pub const KEY: &str = "fuzz-state-key-of-at-least-32-bytes!!";
pub const CLIENT_SECRET: &str = "FUZZ-CLIENT-SECRET-71c3";
pub const REFRESH_TOKEN: &str = "FUZZ-REFRESH-TOKEN-94ae";

/// The fixed client for `provider`, built once per process.
pub fn cached(provider: &'static str) -> &'static Client {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CLIENTS: OnceLock<Mutex<HashMap<&'static str, &'static Client>>> = OnceLock::new();
    let mut clients = CLIENTS.get_or_init(Default::default).lock().expect("lock");
    clients.entry(provider).or_insert_with(|| Box::leak(Box::new(client(provider, ""))))
}

pub fn client(provider: &str, extra: &str) -> Client {
    let text = format!(
        r#"{{"provider":"{provider}","clientId":"fuzz-client","clientSecret":"{CLIENT_SECRET}",
            "redirectUri":"https://app.example.com/cb","stateKey":"{KEY}",
            "endpoints":{{"authorize":"https://as.example.com/a","token":"https://as.example.com/t","api":"https://api.example.com"}}{extra}}}"#
    );
    Client::new(ClientOptions::from_json(&text).expect("fixed options")).expect("fixed client")
}

/// Every way an error can be printed.
pub fn printed(error: &Error) -> String {
    format!(
        "{error}\n{error:?}\n{}\n{}",
        error.detail(),
        error.body_excerpt().unwrap_or_default()
    )
}

/// Panics (a fuzz finding) if `secret` shows in `text` raw, form-encoded,
/// or base64-encoded.
pub fn assert_absent(text: &str, secret: &str) {
    if secret.len() < 8 {
        return;
    }
    let forms = [
        secret.to_owned(),
        secret.replace(' ', "+"),
        base64_std(secret.as_bytes()),
    ];
    for form in forms {
        assert!(!text.contains(&form), "a secret leaked into an error: {text}");
    }
}

pub fn assert_known_code(error: &Error) {
    assert!(ErrorCode::ALL.contains(&error.code()));
}

fn base64_std(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}
