//! TropiPay. Source: TropiPay's partner guide (not public) and the
//! public docs and official demo as PROVIDERS.md § TropiPay records.

use crate::core::preset::{grants, Environment, Grant, Pkce, Preset, PresetEndpoints};
#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
use crate::core::preset::{BodyEncoding, ClientAuth};

const ENVIRONMENTS: &[Environment] = &[
    Environment {
        name: "production",
        endpoints: PresetEndpoints {
            authorize: Some("https://www.tropipay.com/api/v2/access/authorize"),
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            token: Some("https://www.tropipay.com/api/v2/access/token"),
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            api: Some("https://www.tropipay.com"),
            ..PresetEndpoints::NONE
        },
    },
    Environment {
        name: "sandbox",
        endpoints: PresetEndpoints {
            authorize: Some("https://sandbox.tropipay.me/api/v2/access/authorize"),
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            token: Some("https://sandbox.tropipay.me/api/v2/access/token"),
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            api: Some("https://sandbox.tropipay.me"),
            ..PresetEndpoints::NONE
        },
    },
];

/// The preset: its deviations from `Preset::RFC6749`.
pub const PRESET: Preset = Preset {
    name: "tropipay",
    environments: ENVIRONMENTS,
    grants: grants(&[
        Grant::ClientCredentials,
        Grant::AuthorizationCode,
        Grant::RefreshToken,
    ]),
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    operations: &[],
    // "Authorization Code with PKCE". The official demo's 14-character
    // verifier breaks RFC 7636; ours are always 43 or more.
    pkce: Pkce::Required,
    // Never in the authorize URL, as the official demo does.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    client_auth: ClientAuth::Body,
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    token_body: BodyEncoding::Json,
    // Access tokens are JWTs whose `exp` wins; one hour is the guide's default.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    default_lifetime: Some(3600),
    // The docs' token answer has `"expires_in": 1741987517`: an epoch time,
    // not seconds, which the baseline dialect reads as one (a JWT's `exp`
    // wins over both).
    ..Preset::RFC6749
};
