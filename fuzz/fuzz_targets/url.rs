//! Any text as a URL: what parses has a host and a path that is empty or
//! rooted, and appending a query keeps it parseable.
#![no_main]
use libfuzzer_sys::fuzz_target;
use partner_oauth::core::urls;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Some(url) = urls::parse(text) {
        assert!(url.path.is_empty() || url.path.starts_with('/'));
        assert!(!url.path.contains(['?', '#']));
        if url.fragment.is_none() && !url.path.is_empty() {
            let appended = urls::with_query(text, [("k", "v &=")]);
            let again = urls::parse(&appended).expect("still a URL");
            assert!(again.same_origin(&url));
        }
    }
});
