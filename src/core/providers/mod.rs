//! The built-in presets, one file each. Everything about a provider lives in
//! its file; shared code reads only the `Preset` vocabulary.

use crate::core::preset::{Endpoints, Preset};

pub mod billit;
pub mod custom;
pub mod factorial;
pub mod payfit;
pub mod payout;
pub mod tropipay;

type PresetFn = fn() -> Preset;

/// Provider names as JS spells them, with their presets.
pub const PROVIDERS: [(&str, PresetFn); 6] = [
    ("payfit", payfit::preset),
    ("payout", payout::preset),
    ("factorial", factorial::preset),
    ("tropipay", tropipay::preset),
    ("billit", billit::preset),
    ("custom", custom::preset),
];

pub fn preset(name: &str) -> Option<Preset> {
    PROVIDERS
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, build)| build())
}

/// Endpoints from string literals; `None` where no source documents one.
pub(crate) fn endpoints(
    authorize: Option<&str>,
    token: Option<&str>,
    introspect: Option<&str>,
    revoke: Option<&str>,
    api: Option<&str>,
) -> Endpoints {
    let own = |url: Option<&str>| url.map(str::to_owned);
    Endpoints {
        authorize: own(authorize),
        token: own(token),
        introspect: own(introspect),
        revoke: own(revoke),
        api: own(api),
    }
}
