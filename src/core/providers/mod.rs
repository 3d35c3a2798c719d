//! The built-in presets, one file each. Everything about a provider lives in
//! its file, written as its deviations from `Preset::rfc6749()`; shared code
//! reads only the `Preset` vocabulary.

use crate::core::preset::Preset;

pub mod billit;
pub mod custom;
pub mod factorial;
pub mod payfit;
pub mod payout;
#[cfg(feature = "test-preset")]
pub mod sixth;
pub mod tropipay;

type PresetFn = fn() -> Preset;

/// Provider names as JS spells them, with their presets. Tests that cover
/// every provider loop over this table.
pub const PROVIDERS: &[(&str, PresetFn)] = &[
    ("payfit", payfit::preset),
    ("payout", payout::preset),
    ("factorial", factorial::preset),
    ("tropipay", tropipay::preset),
    ("billit", billit::preset),
    ("custom", custom::preset),
    #[cfg(feature = "test-preset")]
    ("sixth", sixth::preset),
];

pub fn preset(name: &str) -> Option<Preset> {
    PROVIDERS
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, build)| build())
}
