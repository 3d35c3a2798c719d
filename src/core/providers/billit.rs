//! Billit. Source: seed 004 (Billit's OAuth guide) and docs.billit.be for
//! the production hosts, as PROVIDERS.md § Billit records.

use super::endpoints;
use crate::core::error::ErrorCode;
use crate::core::preset::{
    BodyEncoding, ClientAuth, Environment, Grant, Introspection, Pkce, Preset,
};

/// The guide's "Error states", sent by API calls made with a token.
const API_ERROR_CODES: &[(&str, ErrorCode)] = &[
    ("InvalidAccessToken", ErrorCode::InvalidToken),
    ("AccessTokenExpired", ErrorCode::TokenExpired),
    ("AccessTokenRevoked", ErrorCode::TokenRevoked),
];

pub fn preset() -> Preset {
    Preset {
        name: "billit",
        environments: const {
            &[
                Environment {
                    name: "production",
                    endpoints: endpoints(
                        Some("https://my.billit.be/Account/Logon"),
                        Some("https://api.billit.be/OAuth2/token"),
                        None,
                        None,
                        Some("https://api.billit.be"),
                    ),
                },
                Environment {
                    name: "sandbox",
                    endpoints: endpoints(
                        Some("https://my.sandbox.billit.be/Account/Logon"),
                        Some("https://api.sandbox.billit.be/OAuth2/token"),
                        None,
                        None,
                        Some("https://api.sandbox.billit.be"),
                    ),
                },
            ]
        },
        grants: vec![Grant::AuthorizationCode, Grant::RefreshToken],
        // The Logon URL takes client_id, redirect_uri and state only.
        response_type: false,
        scope_separator: " ".into(),
        pkce: Pkce::Unsupported,
        authorize_params: Default::default(),
        token_kinds: Vec::new(),
        client_auth: ClientAuth::Body,
        // "make sure to set body type to Application/json".
        token_body: BodyEncoding::Json,
        code_params: vec!["code".into()],
        // "own query params ... are not allowed in the redirect_uri": carry
        // identifiers in the state payload instead.
        redirect_uri_query_allowed: false,
        never_expires: false,
        // docs.billit.be: access tokens last 60 minutes.
        default_lifetime: Some(3600),
        refresh_token_lifetime: None,
        introspection: Introspection::Rfc7662,
        api_error_codes: API_ERROR_CODES,
        issuer: None,
    }
}
