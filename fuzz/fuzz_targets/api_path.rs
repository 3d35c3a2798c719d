//! Differential: for an API base and a path that `api_request` accepts,
//! `Url::parse` (WHATWG, what `fetch` uses) reads the URL it built, on the
//! base's origin, with a path that stays under the base's path: the token
//! goes nowhere else. Input: the base, a newline, the path.
//!
//! Deliberate refusals: `api_request` refuses paths with `.`/`..` segments
//! in any encoding, `//`, `\`, `#`, and anything `urls::check` refuses
//! (see the `url_diff` target); those are not checked here.
#![no_main]
use libfuzzer_sys::fuzz_target;
use partner_oauth::{Client, ClientOptions, Secret};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Some((base, path)) = text.split_once('\n') else { return };
    let options = serde_json::json!({
        "provider": "custom",
        "clientId": "fuzz-client",
        "endpoints": {"api": base},
    });
    let Ok(options) = ClientOptions::from_json(&options.to_string()) else { return };
    let Ok(client) = Client::new(options) else { return };
    let Ok(request) = client.api_request(&Secret::new("ACCESS-1"), path) else { return };

    let base_url = url::Url::parse(base)
        .unwrap_or_else(|e| panic!("ours accepts the base {base:?}, url refuses it: {e}"));
    let sent = url::Url::parse(&request.url)
        .unwrap_or_else(|e| panic!("ours built {:?}, url refuses it: {e}", request.url));
    assert_eq!(sent.origin(), base_url.origin(), "{:?}", request.url);
    let under = base_url.path().trim_end_matches('/');
    assert!(
        sent.path() == under || sent.path().starts_with(&format!("{under}/")),
        "{:?} leaves {under:?}: fetch requests {:?}",
        request.url,
        sent.path()
    );
});
