//! PayFit partner API. Source: seed 000 (PayFit's OAuth guide) and
//! PROVIDERS.md § PayFit.

use super::endpoints;
use crate::core::preset::{
    BodyEncoding, ClientAuth, Environment, Grant, Introspection, Pkce, Preset,
};

pub fn preset() -> Preset {
    Preset {
        name: "payfit",
        // The guide names one environment.
        environments: const {
            &[Environment {
                name: "production",
                endpoints: endpoints(
                    Some("https://oauth.payfit.com/authorize"),
                    Some("https://oauth.payfit.com/token"),
                    Some("https://oauth.payfit.com/introspect"),
                    None,
                    Some("https://partner-api.payfit.com"),
                ),
            }]
        },
        grants: vec![Grant::AuthorizationCode, Grant::Introspection],
        response_type: true,
        // The guide: "a comma-separated list of OAuth scopes". PayFit's newer
        // public docs say space: callers switch with `scopeSeparator`.
        scope_separator: ",".into(),
        // No source mentions PKCE for PayFit.
        pkce: Pkce::Unsupported,
        authorize_params: Default::default(),
        token_kinds: Vec::new(),
        client_auth: ClientAuth::Body,
        // Body encoding is open in the guide; form is RFC 6749's default and
        // what a third-party PayFit plugin sends.
        token_body: BodyEncoding::Form,
        code_params: vec!["code".into()],
        redirect_uri_query_allowed: true,
        // "This token lifetime is unlimited": no expires_in, no refresh token.
        never_expires: true,
        default_lifetime: None,
        refresh_token_lifetime: None,
        // The guide's curl: Bearer header plus a JSON body naming the token.
        introspection: Introspection::BearerJson,
        api_error_codes: &[],
        issuer: None,
    }
}
