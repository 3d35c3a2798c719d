//! Payout (PayoutID). Source: seed 001 (PayoutID OAuth guide), the
//! provider's OpenAPI file and newer docs as PROVIDERS.md § Payout records.

use super::endpoints;
use crate::core::preset::{
    BodyEncoding, ClientAuth, Environment, Grant, Introspection, Pkce, Preset,
};

pub fn preset() -> Preset {
    Preset {
        name: "payout",
        environments: const {
            &[
                // The seed's hosts; the token path is from the provider's OpenAPI.
                Environment {
                    name: "production",
                    endpoints: endpoints(
                        Some("https://app.payout.one/oauth"),
                        Some("https://app.payout.one/oauth/token"),
                        None,
                        None,
                        None,
                    ),
                },
                Environment {
                    name: "sandbox",
                    endpoints: endpoints(
                        Some("https://sandbox.payout.one/oauth"),
                        Some("https://sandbox.payout.one/oauth/token"),
                        None,
                        None,
                        None,
                    ),
                },
                // The newer PayoutID hosts. Their docs name only the authorize URL
                // (the token endpoint is behind a Postman link): supply `token`.
                Environment {
                    name: "production-id",
                    endpoints: endpoints(
                        Some("https://id.payout.one/oauth"),
                        None,
                        None,
                        None,
                        None,
                    ),
                },
                Environment {
                    name: "sandbox-id",
                    endpoints: endpoints(
                        Some("https://id-sa.payout.one/oauth"),
                        None,
                        None,
                        None,
                        None,
                    ),
                },
            ]
        },
        grants: vec![
            Grant::AuthorizationCode,
            Grant::RefreshToken,
            Grant::ClientCredentials,
        ],
        response_type: true,
        scope_separator: " ".into(),
        // The OpenAPI file accepts an optional S256 challenge: sending it is free.
        pkce: Pkce::Supported,
        authorize_params: Default::default(),
        token_kinds: Vec::new(),
        client_auth: ClientAuth::Body,
        token_body: BodyEncoding::Json,
        // The guide: the user returns "with `authorization_code` in query
        // parameters"; read `code` first.
        code_params: vec!["code".into(), "authorization_code".into()],
        redirect_uri_query_allowed: true,
        never_expires: false,
        // "expiration times are short and should not be longer than one hour".
        default_lifetime: Some(3600),
        // The guide: a refresh token "can have expiration time up to 90 days".
        refresh_token_lifetime: Some(90 * 86_400),
        introspection: Introspection::Rfc7662,
        api_error_codes: &[],
        issuer: None,
    }
}
