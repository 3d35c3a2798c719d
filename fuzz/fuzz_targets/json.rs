//! Any text: parsing never panics, and what parses survives write + parse.
#![no_main]
use libfuzzer_sys::fuzz_target;
use partner_oauth::core::json;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Some(value) = json::parse(text) {
        assert_eq!(json::parse(&value.to_text()), Some(value));
    }
});
