//! Payout (PayoutID). Source: the PayoutID partner guide (not public), the
//! provider's OpenAPI file and newer docs as PROVIDERS.md § Payout records.

#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
use crate::core::dialect::{Dialect, NotAToken};
use crate::core::preset::{grants, Environment, Grant, Pkce, Preset, PresetEndpoints};
#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
use crate::core::preset::{BodyEncoding, ClientAuth};

const ENVIRONMENTS: &[Environment] = &[
    // The partner guide's hosts; the token path is from the provider's OpenAPI.
    Environment {
        name: "production",
        endpoints: PresetEndpoints {
            authorize: Some("https://app.payout.one/oauth"),
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            token: Some("https://app.payout.one/oauth/token"),
            ..PresetEndpoints::NONE
        },
    },
    Environment {
        name: "sandbox",
        endpoints: PresetEndpoints {
            authorize: Some("https://sandbox.payout.one/oauth"),
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            token: Some("https://sandbox.payout.one/oauth/token"),
            ..PresetEndpoints::NONE
        },
    },
    // The newer PayoutID hosts. Their docs name only the authorize URL
    // (the token endpoint is behind a Postman link): supply `token`.
    Environment {
        name: "production-id",
        endpoints: PresetEndpoints {
            authorize: Some("https://id.payout.one/oauth"),
            ..PresetEndpoints::NONE
        },
    },
    Environment {
        name: "sandbox-id",
        endpoints: PresetEndpoints {
            authorize: Some("https://id-sa.payout.one/oauth"),
            ..PresetEndpoints::NONE
        },
    },
];

/// The preset: its deviations from `Preset::RFC6749`.
pub const PRESET: Preset = Preset {
    name: "payout",
    environments: ENVIRONMENTS,
    grants: grants(&[
        Grant::AuthorizationCode,
        Grant::RefreshToken,
        Grant::ClientCredentials,
    ]),
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    operations: &[],
    // The OpenAPI file accepts an optional S256 challenge: sending it is free.
    pkce: Pkce::Supported,
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    client_auth: ClientAuth::Body,
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    token_body: BodyEncoding::Json,
    // The guide: the user returns "with `authorization_code` in query
    // parameters"; read `code` first.
    code_params: &["code", "authorization_code"],
    // "expiration times are short and should not be longer than one hour".
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    default_lifetime: Some(3600),
    // The guide: a refresh token "can have expiration time up to 90 days".
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    refresh_token_lifetime: Some(90 * 86_400),
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    response: Dialect {
        // Public docs: the merchant API's `{"token", "valid_for"}` is not
        // an OAuth token; met at the token endpoint it is refused.
        not_a_token: Some(NotAToken {
            field: "valid_for",
            message: "a merchant API token ({token, valid_for}), not an OAuth token",
        }),
        ..Dialect::RFC6749
    },
    ..Preset::RFC6749
};
