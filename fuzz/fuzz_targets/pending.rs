//! Any pending value: a typed error, or one that seals back to itself; an
//! error never shows the verifier it carried.
#![no_main]
mod common;
use common::*;
use libfuzzer_sys::fuzz_target;
use partner_oauth::core::keys::StateKeys;
use partner_oauth::core::pending::Pending;
use partner_oauth::Secret;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let keys = StateKeys::new(vec![Secret::new(KEY)]).expect("key");
    match Pending::open(text, Some(&keys)) {
        Ok(pending) => assert_eq!(pending.seal(Some(&keys)).expect("seal").expose(), text),
        Err(e) => assert_known_code(&e),
    }
    match Pending::open(text, None) {
        Ok(pending) => {
            let unsealed = pending.seal(None).expect("seal");
            assert!(text.starts_with(unsealed.expose()));
        }
        Err(e) => {
            assert_known_code(&e);
            assert!(!format!("{e:?}").contains("p2."));
        }
    }
});
