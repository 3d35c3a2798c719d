//! The preset table itself: names, environments, endpoints.
#![cfg(not(target_arch = "wasm32"))]

use partner_oauth::core::providers::{self, PROVIDERS};

// A preset is found by its table key and reports its own `name` in errors
// and in `client.provider`: the two must be one spelling.
#[test]
fn each_preset_is_named_as_its_table_key() {
    for &(key, preset) in PROVIDERS {
        assert_eq!(preset.name, key);
        assert_eq!(providers::preset(key).map(|p| p.name), Some(key));
    }
    let mut keys: Vec<&str> = PROVIDERS.iter().map(|(key, _)| *key).collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), PROVIDERS.len(), "a key is listed twice");
}

#[test]
fn each_preset_has_uniquely_named_environments() {
    for &(key, preset) in PROVIDERS {
        let mut names: Vec<&str> = preset.environments.iter().map(|e| e.name).collect();
        assert!(!names.is_empty(), "{key}");
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), preset.environments.len(), "{key}");
    }
}

// The dev-dependency on this package turns on `test-preset`: every suite
// that loops over PROVIDERS also runs `sixth`, which no test list names.
#[test]
fn the_test_only_preset_is_in_the_table() {
    assert!(PROVIDERS.iter().any(|(key, _)| *key == "sixth"));
}
