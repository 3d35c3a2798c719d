//! Billit. Source: Billit's partner guide (not public) and docs.billit.be
//! for the production hosts, as PROVIDERS.md § Billit records.

#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
use crate::core::dialect::{Dialect, ErrorList, FieldCasing};
#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
use crate::core::error::ErrorCode;
use crate::core::preset::{
    grants, Environment, Grant, Pkce, Preset, PresetEndpoints, ResponseType,
};
#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
use crate::core::preset::{BodyEncoding, ClientAuth};

/// The guide's "Error states", sent by API calls made with a token.
#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
const API_ERROR_CODES: &[(&str, ErrorCode)] = &[
    ("InvalidAccessToken", ErrorCode::InvalidToken),
    ("AccessTokenExpired", ErrorCode::TokenExpired),
    ("AccessTokenRevoked", ErrorCode::TokenRevoked),
];

const ENVIRONMENTS: &[Environment] = &[
    Environment {
        name: "production",
        endpoints: PresetEndpoints {
            authorize: Some("https://my.billit.be/Account/Logon"),
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            token: Some("https://api.billit.be/OAuth2/token"),
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            api: Some("https://api.billit.be"),
            ..PresetEndpoints::NONE
        },
    },
    Environment {
        name: "sandbox",
        endpoints: PresetEndpoints {
            authorize: Some("https://my.sandbox.billit.be/Account/Logon"),
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            token: Some("https://api.sandbox.billit.be/OAuth2/token"),
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            api: Some("https://api.sandbox.billit.be"),
            ..PresetEndpoints::NONE
        },
    },
];

/// The preset: its deviations from `Preset::RFC6749`.
pub const PRESET: Preset = Preset {
    name: "billit",
    environments: ENVIRONMENTS,
    grants: grants(&[Grant::AuthorizationCode, Grant::RefreshToken]),
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    operations: &[],
    // The Logon URL takes client_id, redirect_uri and state only.
    response_type: ResponseType::Omitted,
    pkce: Pkce::Unsupported,
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    client_auth: ClientAuth::Body,
    // "make sure to set body type to Application/json".
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    token_body: BodyEncoding::Json,
    // "own query params ... are not allowed in the redirect_uri": carry
    // identifiers in the state payload instead.
    redirect_uri_query_allowed: false,
    // docs.billit.be: access tokens last 60 minutes.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    default_lifetime: Some(3600),
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    response: Dialect {
        // The guide's prose names the expiry field `Expires_In` while its
        // sample says `expires_in`: any casing is read.
        field_casing: FieldCasing::AnyAscii,
        // The guide's "Error states": `{"errors":[{"Code":…}]}` (capital
        // `Code`), with no HTTP status given, so a 2xx is read too.
        error_list: Some(ErrorList {
            list: "errors",
            code: "Code",
            message: "Message",
            codes: API_ERROR_CODES,
            any_status: true,
        }),
        ..Dialect::RFC6749
    },
    ..Preset::RFC6749
};
