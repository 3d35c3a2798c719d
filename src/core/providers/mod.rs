//! The built-in presets, one file each. Everything about a provider lives in
//! its file, written as its deviations from `Preset::rfc6749()`; shared code
//! reads only the `Preset` vocabulary.
// The page build's `PresetEndpoints` is `authorize` alone: a preset's
// `..PresetEndpoints::NONE` completes nothing there.
#![cfg_attr(
    all(target_arch = "wasm32", not(feature = "server")),
    allow(clippy::needless_update)
)]

use crate::core::preset::Preset;

pub mod billit;
pub mod custom;
pub mod factorial;
pub mod payfit;
pub mod payout;
#[cfg(feature = "test-preset")]
pub mod sixth;
pub mod tropipay;

/// Provider names as JS spells them, with their presets. Tests that cover
/// every provider loop over this table.
pub const PROVIDERS: &[(&str, &Preset)] = &[
    ("payfit", &payfit::PRESET),
    ("payout", &payout::PRESET),
    ("factorial", &factorial::PRESET),
    ("tropipay", &tropipay::PRESET),
    ("billit", &billit::PRESET),
    ("custom", &custom::PRESET),
    #[cfg(feature = "test-preset")]
    ("sixth", &sixth::PRESET),
];

/// `PROVIDERS`' names, ", " between them (the unknown provider's message),
/// joined by the compiler: no list built at run time.
pub const LISTED: &str = crate::core::messages::text(&LISTED_BYTES);

const LISTED_BYTES: [u8; listed_len(PROVIDERS)] = listed(PROVIDERS);

const fn listed_len(mut providers: &[(&str, &Preset)]) -> usize {
    let mut len = 0;
    while let [(name, _), rest @ ..] = providers {
        len += name.len() + 2;
        providers = rest;
    }
    len.saturating_sub(2)
}

// Only for consts: evaluated by the compiler, where an index out of range
// fails the build.
#[allow(clippy::indexing_slicing)]
const fn listed<const N: usize>(mut providers: &[(&str, &Preset)]) -> [u8; N] {
    let mut out = [0; N];
    let mut at = 0;
    while let [(name, _), rest @ ..] = providers {
        if at > 0 {
            out[at] = b',';
            out[at + 1] = b' ';
            at += 2;
        }
        let name = name.as_bytes();
        let mut i = 0;
        while i < name.len() {
            out[at] = name[i];
            at += 1;
            i += 1;
        }
        providers = rest;
    }
    out
}

/// Names in `PROVIDERS` that exist only in tests (feature `test-preset`):
/// never shipped, so never in the package's types.
pub const TEST_ONLY: &[&str] = &[
    #[cfg(feature = "test-preset")]
    "sixth",
];

/// The preset named `name`, as JS spells it: found by the preset's own
/// `name`, which is its key (tests/presets.rs), in a table of the presets
/// alone (no second pointer and length a provider).
#[cfg_attr(not(feature = "server"), inline(always))]
pub fn preset(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|preset| preset.name == name).copied()
}

const PRESETS: [&Preset; PROVIDERS.len()] = presets(PROVIDERS);

// Only for consts: evaluated by the compiler, where an index out of range
// fails the build.
#[allow(clippy::indexing_slicing)]
const fn presets<const N: usize>(providers: &[(&str, &'static Preset)]) -> [&'static Preset; N] {
    let mut out = [&Preset::RFC6749; N];
    let mut i = 0;
    while i < N {
        out[i] = providers[i].1;
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // `client::listed` joins these names and takes an empty result so
    // far for the first name: none of them is empty.
    #[test]
    fn environment_and_token_kind_names_are_not_empty() {
        for (_, preset) in PROVIDERS {
            assert!(preset.environments.iter().all(|env| !env.name.is_empty()));
            assert!(preset.token_kinds.iter().all(|kind| !kind.name.is_empty()));
        }
    }

    // The compiler's join is the run-time one it replaced.
    #[test]
    fn listed_is_the_names_joined() {
        let names: Vec<&str> = PROVIDERS.iter().map(|(name, _)| *name).collect();
        assert_eq!(LISTED, names.join(", "));
    }
}
