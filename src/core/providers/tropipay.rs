//! TropiPay. Source: seed 003 (TropiPay's OAuth integration guide) and the
//! public docs and official demo as PROVIDERS.md § TropiPay records.

use super::endpoints;
use crate::core::preset::{
    BodyEncoding, ClientAuth, Environment, Grant, Introspection, Pkce, Preset,
};

pub fn preset() -> Preset {
    Preset {
        name: "tropipay",
        environments: const {
            &[
                Environment {
                    name: "production",
                    endpoints: endpoints(
                        Some("https://www.tropipay.com/api/v2/access/authorize"),
                        Some("https://www.tropipay.com/api/v2/access/token"),
                        None,
                        None,
                        Some("https://www.tropipay.com"),
                    ),
                },
                Environment {
                    name: "sandbox",
                    endpoints: endpoints(
                        Some("https://sandbox.tropipay.me/api/v2/access/authorize"),
                        Some("https://sandbox.tropipay.me/api/v2/access/token"),
                        None,
                        None,
                        Some("https://sandbox.tropipay.me"),
                    ),
                },
            ]
        },
        grants: vec![
            Grant::ClientCredentials,
            Grant::AuthorizationCode,
            Grant::RefreshToken,
        ],
        response_type: true,
        scope_separator: " ".into(),
        // "Authorization Code with PKCE". The official demo's 14-character
        // verifier breaks RFC 7636; ours are always 43 or more.
        pkce: Pkce::Required,
        authorize_params: Default::default(),
        token_kinds: Vec::new(),
        // Never in the authorize URL, as the official demo does.
        client_auth: ClientAuth::Body,
        token_body: BodyEncoding::Json,
        code_params: vec!["code".into()],
        redirect_uri_query_allowed: true,
        never_expires: false,
        // Access tokens are JWTs whose `exp` wins; one hour is the guide's default.
        default_lifetime: Some(3600),
        refresh_token_lifetime: None,
        introspection: Introspection::Rfc7662,
        api_error_codes: &[],
        issuer: None,
    }
}
