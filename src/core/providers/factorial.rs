//! Factorial HR. Source: seed 002 (partner guide, company token) and
//! Factorial's public API docs as PROVIDERS.md § Factorial records.

use super::endpoints;
use crate::core::preset::{
    BodyEncoding, ClientAuth, Environment, Grant, Introspection, Pkce, Preset, TokenKind,
};

pub fn preset() -> Preset {
    Preset {
        name: "factorial",
        environments: const {
            &[
                Environment {
                    name: "production",
                    endpoints: endpoints(
                        Some("https://api.factorialhr.com/oauth/authorize"),
                        Some("https://api.factorialhr.com/oauth/token"),
                        None,
                        Some("https://api.factorialhr.com/oauth/revoke"),
                        Some("https://api.factorialhr.com"),
                    ),
                },
                Environment {
                    name: "demo",
                    endpoints: endpoints(
                        Some("https://api.demo.factorialhr.dev/oauth/authorize"),
                        Some("https://api.demo.factorialhr.dev/oauth/token"),
                        None,
                        Some("https://api.demo.factorialhr.dev/oauth/revoke"),
                        Some("https://api.demo.factorialhr.dev"),
                    ),
                },
            ]
        },
        grants: vec![
            Grant::AuthorizationCode,
            Grant::RefreshToken,
            Grant::Revocation,
        ],
        response_type: true,
        scope_separator: " ".into(),
        pkce: Pkce::Unsupported,
        authorize_params: Default::default(),
        token_kinds: vec![
            // The guide's subject: "It won't expire", and an admin must be
            // logged in when authorising.
            TokenKind {
                name: "company",
                authorize_params: &[("resource_owner_type", "company")],
                never_expires: true,
            },
            // "Without this parameter, you will request a user one."
            TokenKind {
                name: "user",
                authorize_params: &[],
                never_expires: false,
            },
        ],
        client_auth: ClientAuth::Body,
        // The guide puts the parameters in the query string; a secret in a URL
        // ends up in logs, so the default is a form body (team decision).
        token_body: BodyEncoding::Form,
        code_params: vec!["code".into()],
        redirect_uri_query_allowed: true,
        never_expires: false,
        // User tokens: the docs say one hour (their sample says 7200 s; a
        // response's expires_in always wins).
        default_lifetime: Some(3600),
        // Public docs: a user token's refresh token lasts one week.
        refresh_token_lifetime: Some(7 * 86_400),
        introspection: Introspection::Rfc7662,
        api_error_codes: &[],
        issuer: None,
    }
}
