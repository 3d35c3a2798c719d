//! Differential: `urls::parse` (bytes by hand) against the reader as it was
//! written with std's `str` methods and `std::net` parsing
//! (`core::oracle::url_parse`): the same parts, or both `None`. Seeded from
//! url_diff's corpus.
#![no_main]
use libfuzzer_sys::fuzz_target;
use partner_oauth::core::{oracle, urls};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    assert_eq!(urls::parse(text), oracle::url_parse(text), "{text:?}");
});
