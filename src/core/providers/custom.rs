//! Any other OAuth 2.0 provider: plain RFC 6749 + RFC 7636 defaults, which
//! the caller adjusts with the `preset` option and supplies `endpoints` for.

use crate::core::preset::Preset;

pub fn preset() -> Preset {
    Preset {
        name: "custom",
        ..Preset::rfc6749()
    }
}
