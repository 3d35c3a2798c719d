//! Any status, WWW-Authenticate and body at the token endpoint and the API:
//! a token, or a typed error whose printed forms hold none of the secrets
//! the request carried (raw, form-encoded or base64).
#![no_main]
mod common;
use common::*;
use libfuzzer_sys::fuzz_target;
use partner_oauth::{HttpResponse, Secret};

const MARKER: &str = "Tk9Z-MARKER-Z9kT";

fuzz_target!(|data: &[u8]| {
    let [high, low, split, rest @ ..] = data else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let status = 100 + (u16::from_be_bytes([*high, *low]) % 500);
    let cut = usize::from(*split).min(text.len());
    let (header, body) = text.split_at(if text.is_char_boundary(cut) { cut } else { 0 });
    let response = HttpResponse { status, www_authenticate: Some(header.to_owned()), body: body.to_owned() };
    // One preset per input (chosen by it): four dialects, a quarter the time.
    let provider = ["billit", "tropipay", "payfit", "custom"][usize::from(*split) % 4];
    {
        let client = cached(provider);
        let request = client.refresh_request(&Secret::new(REFRESH_TOKEN), &[]).or_else(|_| client.api_request(&Secret::new(REFRESH_TOKEN), "/x")).expect("request");
        match client.parse_token_response(&request, &response, NOW, None) {
            Ok(token) => {
                assert!(!token.access_token.expose().is_empty());
                // Differential: with its secrets replaced by a marker, the
                // token's Debug must not show the marker (a token that spells
                // a field name, like "refresh_token", is no leak).
                let mut probe = token.clone();
                probe.access_token = Secret::new(MARKER);
                probe.refresh_token = probe.refresh_token.map(|_| Secret::new(MARKER));
                probe.raw = Secret::new(MARKER);
                assert_absent(&format!("{probe:?}"), MARKER);
            }
            // The secrets this request carried (what a server could echo).
            Err(e) => {
                assert_known_code(&e);
                for secret in request.secrets() {
                    assert_absent(&printed(&e), secret.expose());
                }
            }
        }
        if let Err(e) = client.check_api_response(&request, &response) {
            assert_known_code(&e);
            for secret in request.secrets() {
                assert_absent(&printed(&e), secret.expose());
            }
        }
    }
});
