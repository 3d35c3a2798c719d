//! Factorial HR. Source: its partner guide (not public; company token) and
//! Factorial's public API docs as PROVIDERS.md § Factorial records.

use crate::core::preset::{grants, Environment, Grant, Pkce, Preset, PresetEndpoints, TokenKind};
#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
use crate::core::preset::{BodyEncoding, ClientAuth, Operation};

const ENVIRONMENTS: &[Environment] = &[
    Environment {
        name: "production",
        endpoints: PresetEndpoints {
            authorize: Some("https://api.factorialhr.com/oauth/authorize"),
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            token: Some("https://api.factorialhr.com/oauth/token"),
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            revoke: Some("https://api.factorialhr.com/oauth/revoke"),
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            api: Some("https://api.factorialhr.com"),
            ..PresetEndpoints::NONE
        },
    },
    Environment {
        name: "demo",
        endpoints: PresetEndpoints {
            authorize: Some("https://api.demo.factorialhr.dev/oauth/authorize"),
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            token: Some("https://api.demo.factorialhr.dev/oauth/token"),
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            revoke: Some("https://api.demo.factorialhr.dev/oauth/revoke"),
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            api: Some("https://api.demo.factorialhr.dev"),
            ..PresetEndpoints::NONE
        },
    },
];

/// The preset: its deviations from `Preset::RFC6749`.
pub const PRESET: Preset = Preset {
    name: "factorial",
    environments: ENVIRONMENTS,
    grants: grants(&[Grant::AuthorizationCode, Grant::RefreshToken]),
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    operations: &[Operation::Revocation],
    pkce: Pkce::Unsupported,
    token_kinds: &[
        // The guide's subject: "It won't expire", and an admin must be
        // logged in when authorising.
        TokenKind {
            name: "company",
            authorize_params: &[("resource_owner_type", "company")],
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            never_expires: true,
        },
        // "Without this parameter, you will request a user one."
        TokenKind {
            name: "user",
            authorize_params: &[],
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            never_expires: false,
        },
    ],
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    client_auth: ClientAuth::Body,
    // The guide puts the parameters in the query string; a secret in a URL
    // ends up in logs, so the default is a form body (team decision).
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    token_body: BodyEncoding::Form,
    // User tokens: the docs say one hour (their sample says 7200 s; a
    // response's expires_in always wins).
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    default_lifetime: Some(3600),
    // Public docs: a user token's refresh token lasts one week.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    refresh_token_lifetime: Some(7 * 86_400),
    // Public docs (FAQ): POSTs 200/min on /api/v2, 100/min on /api/v1. No
    // source says whether that is per application or per token, so no
    // shared budget by default; an integrator who knows turns it on.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    rate_limit: None,
    ..Preset::RFC6749
};
