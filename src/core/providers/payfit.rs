//! PayFit partner API. Source: PayFit's partner guide (not public) and its
//! public docs, as PROVIDERS.md § PayFit records.

#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
use crate::core::dialect::{Dialect, ScopeList};
use crate::core::preset::{grants, Environment, Grant, Pkce, Preset, PresetEndpoints};
#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
use crate::core::preset::{BodyEncoding, ClientAuth, IntrospectionRequest, Operation, RateLimit};

// The guide names one environment.
const ENVIRONMENTS: &[Environment] = &[Environment {
    name: "production",
    endpoints: PresetEndpoints {
        authorize: Some("https://oauth.payfit.com/authorize"),
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        token: Some("https://oauth.payfit.com/token"),
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        introspect: Some("https://oauth.payfit.com/introspect"),
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        api: Some("https://partner-api.payfit.com"),
        ..PresetEndpoints::NONE
    },
}];

/// The preset: its deviations from `Preset::RFC6749`.
pub const PRESET: Preset = Preset {
    name: "payfit",
    environments: ENVIRONMENTS,
    grants: grants(&[Grant::AuthorizationCode]),
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    operations: &[Operation::Introspection],
    // The guide: "a comma-separated list of OAuth scopes". PayFit's newer
    // public docs say space: callers switch with `scopeSeparator`.
    scope_separator: ",",
    // No source mentions PKCE for PayFit.
    pkce: Pkce::Unsupported,
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    client_auth: ClientAuth::Body,
    // Body encoding is open in the guide; form is RFC 6749's default and
    // what a third-party PayFit plugin sends.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    token_body: BodyEncoding::Form,
    // "This token lifetime is unlimited": no expires_in, no refresh token.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    never_expires: true,
    // The guide: one token per company, named by introspection; a new
    // token for a company invalidates the previous one.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    one_token_per_company: true,
    // Public docs (developers.payfit.io/docs/rate-limits): per client
    // application, not per token: 50 reads/s, 20 writes/s.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    rate_limit: Some(RateLimit {
        reads_per_second: 50,
        writes_per_second: 20,
    }),
    // The guide's curl: Bearer header plus a JSON body naming the token.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    introspection: IntrospectionRequest::BearerJson,
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    response: Dialect {
        // Granted scopes come back as they are asked for: comma-separated.
        scopes: ScopeList::SpacesOrCommas,
        // The guide's introspection answer names the token's company:
        // one token per company, kept with it.
        company_field: Some("company_id"),
        ..Dialect::RFC6749
    },
    ..Preset::RFC6749
};
