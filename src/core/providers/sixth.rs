//! A provider that exists only in tests (feature `test-preset`): every
//! table-driven suite runs it without naming it, which shows a new preset
//! needs no edit to a test list. Its deviations touch each part of the
//! vocabulary: endpoints, grants, client authentication, body encoding and
//! the response dialect.

#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
use crate::core::dialect::{Dialect, ExpiresIn, FieldCasing};
use crate::core::preset::{grants, Environment, Grant, Preset, PresetEndpoints};
#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
use crate::core::preset::{BodyEncoding, ClientAuth, Operation};

const ENVIRONMENTS: &[Environment] = &[
    Environment {
        name: "production",
        endpoints: PresetEndpoints {
            authorize: Some("https://login.sixth.test/authorize"),
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            token: Some("https://login.sixth.test/token"),
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            revoke: Some("https://login.sixth.test/revoke"),
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            api: Some("https://api.sixth.test"),
            ..PresetEndpoints::NONE
        },
    },
    Environment {
        name: "sandbox",
        endpoints: PresetEndpoints {
            authorize: Some("https://login.sandbox.sixth.test/authorize"),
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            token: Some("https://login.sandbox.sixth.test/token"),
            ..PresetEndpoints::NONE
        },
    },
];

/// The preset: its deviations from `Preset::RFC6749`.
pub const PRESET: Preset = Preset {
    name: "sixth",
    environments: ENVIRONMENTS,
    grants: grants(&[Grant::AuthorizationCode, Grant::RefreshToken]),
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    operations: &[Operation::Revocation],
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    client_auth: ClientAuth::Body,
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    token_body: BodyEncoding::Json,
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    default_lifetime: Some(1800),
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    response: Dialect {
        field_casing: FieldCasing::AnyAscii,
        expires_in: ExpiresIn::SecondsOrEpoch,
        ..Dialect::RFC6749
    },
    ..Preset::RFC6749
};
