//! Any other OAuth 2.0 provider: plain RFC 6749 + RFC 7636 defaults, which
//! the caller adjusts with the `preset` option and supplies `endpoints` for.

#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
use crate::core::dialect::{Dialect, ErrorList, ExpiresIn, FieldCasing, ScopeList};
use crate::core::preset::Preset;

/// The preset: its deviations from `Preset::RFC6749`.
pub const PRESET: Preset = Preset {
    name: "custom",
    // Answers are read as leniently as before dialects existed, so a
    // custom client written against any server keeps working.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    response: Dialect {
        field_casing: FieldCasing::AnyAscii,
        expires_in: ExpiresIn::SecondsOrEpoch,
        scopes: ScopeList::SpacesOrCommas,
        error_list: Some(ErrorList {
            list: "errors",
            code: "code",
            message: "message",
            codes: &[],
            any_status: false,
        }),
        company_field: Some("company_id"),
        not_a_token: None,
    },
    ..Preset::RFC6749
};
