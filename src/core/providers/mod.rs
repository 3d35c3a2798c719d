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

/// Names in `PROVIDERS` that exist only in tests (feature `test-preset`):
/// never shipped, so never in the package's types.
pub const TEST_ONLY: &[&str] = &[
    #[cfg(feature = "test-preset")]
    "sixth",
];

/// The preset named `name`, as JS spells it.
pub fn preset(name: &str) -> Option<&'static Preset> {
    PROVIDERS
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, preset)| *preset)
}
