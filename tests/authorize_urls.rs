//! The exact authorize URL for each provider and environment, written by hand
//! from the top-level PROVIDERS.md (section and row named on each test).
//! Fixed input: client id `client-123`, `REDIRECT`, the RFC 7636 Appendix B
//! verifier, and the state `STATE`.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use partner_oauth::{ErrorCode, StartOptions};
use serde_json::{json, Value};

fn url(provider: &str, extra: Value, start: Value) -> String {
    let start = StartOptions::from_json(&start.to_string()).expect("start options");
    client(provider, extra)
        .start_authorization(&start, NOW, &entropy())
        .expect("start")
        .url
}

// PayFit — "authorize" row: client_id, redirect_uri, response_type=code,
// state, scope; "scope separator" row: comma.
#[test]
fn payfit_production() {
    assert_eq!(
        url("payfit", json!({}), json!({"scopes": ["contracts:read", "collaborators:read"]})),
        format!(
            "https://oauth.payfit.com/authorize?response_type=code&client_id=client-123\
             &redirect_uri={REDIRECT_ENC}&scope=contracts%3Aread%2Ccollaborators%3Aread&state={STATE}"
        )
    );
}

// PayFit — "scope separator, public docs" row: the caller can choose space.
#[test]
fn payfit_space_separator_when_asked() {
    assert_eq!(
        url(
            "payfit",
            json!({"preset": {"scopeSeparator": " "}}),
            json!({"scopes": ["contracts:read", "accounting:read"]})
        ),
        format!(
            "https://oauth.payfit.com/authorize?response_type=code&client_id=client-123\
             &redirect_uri={REDIRECT_ENC}&scope=contracts%3Aread+accounting%3Aread&state={STATE}"
        )
    );
}

// Payout — "authorize" row (production https://app.payout.one/oauth) and
// "PKCE, provider reference" row: S256 challenge sent.
#[test]
fn payout_production() {
    assert_eq!(
        url(
            "payout",
            json!({"environment": "production"}),
            json!({"scopes": ["BLAISP", "VERIFY"]})
        ),
        format!(
            "https://app.payout.one/oauth?response_type=code&client_id=client-123\
             &redirect_uri={REDIRECT_ENC}&scope=BLAISP+VERIFY&state={STATE}\
             &code_challenge={CHALLENGE}&code_challenge_method=S256"
        )
    );
}

// Payout — "authorize" row: sandbox https://sandbox.payout.one/oauth.
#[test]
fn payout_sandbox() {
    assert_eq!(
        url("payout", json!({"environment": "sandbox"}), json!({})),
        format!(
            "https://sandbox.payout.one/oauth?response_type=code&client_id=client-123\
             &redirect_uri={REDIRECT_ENC}&state={STATE}\
             &code_challenge={CHALLENGE}&code_challenge_method=S256"
        )
    );
}

// Payout — "authorize, public docs" row: the newer PayoutID hosts.
#[test]
fn payout_newer_id_hosts() {
    let tail = format!(
        "?response_type=code&client_id=client-123&redirect_uri={REDIRECT_ENC}&state={STATE}\
         &code_challenge={CHALLENGE}&code_challenge_method=S256"
    );
    assert_eq!(
        url("payout", json!({"environment": "production-id"}), json!({})),
        format!("https://id.payout.one/oauth{tail}")
    );
    assert_eq!(
        url("payout", json!({"environment": "sandbox-id"}), json!({})),
        format!("https://id-sa.payout.one/oauth{tail}")
    );
}

// Payout — "authorize path" row: the OpenAPI's {host}/oauth/authorize by override.
#[test]
fn payout_authorize_path_override() {
    let got = url(
        "payout",
        json!({"environment": "sandbox", "endpoints": {"authorize": "https://sandbox.payout.one/oauth/authorize"}}),
        json!({}),
    );
    assert!(got.starts_with("https://sandbox.payout.one/oauth/authorize?response_type=code&"));
}

// Factorial — "authorize" row: resource_owner_type=company for a company token.
#[test]
fn factorial_production_company_token() {
    assert_eq!(
        url("factorial", json!({}), json!({"tokenKind": "company"})),
        format!(
            "https://api.factorialhr.com/oauth/authorize?response_type=code&client_id=client-123\
             &redirect_uri={REDIRECT_ENC}&state={STATE}&resource_owner_type=company"
        )
    );
}

// Factorial — the guide is about company tokens, so they are the default.
#[test]
fn factorial_defaults_to_company_token() {
    assert!(url("factorial", json!({}), json!({})).ends_with("&resource_owner_type=company"));
}

// Factorial — "authorize" row: without resource_owner_type, a user token.
#[test]
fn factorial_production_user_token() {
    assert_eq!(
        url("factorial", json!({}), json!({"tokenKind": "user"})),
        format!(
            "https://api.factorialhr.com/oauth/authorize?response_type=code&client_id=client-123\
             &redirect_uri={REDIRECT_ENC}&state={STATE}"
        )
    );
}

// Factorial — "environments" row: demo https://api.demo.factorialhr.dev.
#[test]
fn factorial_demo() {
    assert_eq!(
        url("factorial", json!({"environment": "demo"}), json!({})),
        format!(
            "https://api.demo.factorialhr.dev/oauth/authorize?response_type=code&client_id=client-123\
             &redirect_uri={REDIRECT_ENC}&state={STATE}&resource_owner_type=company"
        )
    );
}

// TropiPay — "authorize, public docs" row: response_type, client_id,
// redirect_uri, state, scope, code_challenge, S256; "scopes" row: space.
#[test]
fn tropipay_production() {
    assert_eq!(
        url(
            "tropipay",
            json!({}),
            json!({"scopes": ["ALLOW_GET_PROFILE_DATA", "ALLOW_GET_BALANCE"]})
        ),
        format!(
            "https://www.tropipay.com/api/v2/access/authorize?response_type=code&client_id=client-123\
             &redirect_uri={REDIRECT_ENC}&scope=ALLOW_GET_PROFILE_DATA+ALLOW_GET_BALANCE&state={STATE}\
             &code_challenge={CHALLENGE}&code_challenge_method=S256"
        )
    );
}

// TropiPay — "hosts, public docs" row: sandbox https://sandbox.tropipay.me.
#[test]
fn tropipay_sandbox() {
    assert_eq!(
        url("tropipay", json!({"environment": "sandbox"}), json!({})),
        format!(
            "https://sandbox.tropipay.me/api/v2/access/authorize?response_type=code&client_id=client-123\
             &redirect_uri={REDIRECT_ENC}&state={STATE}\
             &code_challenge={CHALLENGE}&code_challenge_method=S256"
        )
    );
}

// TropiPay — "quirk" row: never the client secret in the authorize URL.
#[test]
fn tropipay_never_puts_the_secret_in_the_url() {
    let got = url(
        "tropipay",
        json!({"clientSecret": "tp-secret-MARKER"}),
        json!({}),
    );
    assert!(!got.contains("tp-secret-MARKER") && !got.contains("client_secret"));
}

// Billit — "authorize" row: client_id, redirect_uri, state; no response_type.
#[test]
fn billit_sandbox() {
    assert_eq!(
        url("billit", json!({"environment": "sandbox"}), json!({})),
        format!(
            "https://my.sandbox.billit.be/Account/Logon?client_id=client-123\
             &redirect_uri={REDIRECT_ENC}&state={STATE}"
        )
    );
}

// Billit — "production hosts, public docs" row.
#[test]
fn billit_production() {
    assert_eq!(
        url("billit", json!({"environment": "production"}), json!({})),
        format!("https://my.billit.be/Account/Logon?client_id=client-123&redirect_uri={REDIRECT_ENC}&state={STATE}")
    );
}

// Billit — "state" row: the state carries identifiers and contains no `&`.
#[test]
fn billit_identifiers_travel_in_state_without_ampersand() {
    let start: StartOptions =
        StartOptions::from_json(r#"{"payload": "user=42&co=7"}"#).expect("start");
    let started = client("billit", json!({}))
        .start_authorization(&start, NOW, &entropy())
        .expect("start");
    // 01 01 (payload) NOW nonce "user=42&co=7", base64url by Python.
    assert_eq!(
        started.state,
        "AQEAAAAAZVPxAAABAgMEBQYHCAkKCwwNDg91c2VyPTQyJmNvPTc"
    );
    assert!(!started.state.contains(['&', '=', '+', '%']));
}

// Billit — "identifiers" row: own query parameters in redirect_uri are refused.
#[test]
fn billit_refuses_query_in_redirect_uri() {
    let result = try_client(options(
        "billit",
        json!({"redirectUri": "https://app.example.com/cb?user=42"}),
    ));
    assert_eq!(code_of(result), ErrorCode::InvalidRedirectUri);
}

// Custom — RFC 6749 §4.1.1 + RFC 7636 §4.3, with the caller's endpoint.
#[test]
fn custom_preset_uses_rfc_defaults() {
    assert_eq!(
        url(
            "custom",
            json!({"endpoints": {"authorize": "https://as.example.com/authorize"}}),
            json!({"scopes": ["openid", "offline_access"], "params": {"prompt": "consent"}})
        ),
        format!(
            "https://as.example.com/authorize?response_type=code&client_id=client-123\
             &redirect_uri={REDIRECT_ENC}&scope=openid+offline_access&state={STATE}\
             &code_challenge={CHALLENGE}&code_challenge_method=S256&prompt=consent"
        )
    );
}

// Custom — the same quirks the presets have can be said as data.
#[test]
fn custom_preset_can_express_billit_and_factorial_quirks() {
    let got = url(
        "custom",
        json!({
            "endpoints": {"authorize": "https://as.example.com/logon"},
            "preset": {"responseType": false, "pkce": "unsupported", "scopeSeparator": ",",
                       "authorizeParams": {"resource_owner_type": "company"}}
        }),
        json!({"scopes": ["a", "b"]}),
    );
    assert_eq!(
        got,
        format!(
            "https://as.example.com/logon?client_id=client-123&redirect_uri={REDIRECT_ENC}\
             &scope=a%2Cb&state={STATE}&resource_owner_type=company"
        )
    );
}

// Signed state: the HMAC-SHA256 over "partner-oauth state v1\0" + body under
// `KEY`, computed by Python's hmac module.
#[test]
fn signed_state_in_url() {
    let got = url("billit", json!({"stateKey": KEY}), json!({}));
    assert!(got.ends_with(
        "&state=AQAAAAAAZVPxAAABAgMEBQYHCAkKCwwNDg8.wXtmtd-e4BBNw-E54-Qoce3Ln1yspE9fWUou4q99I30"
    ));
}

#[test]
fn endpoint_override_replaces_the_default() {
    let got = url(
        "billit",
        json!({"endpoints": {"authorize": "http://127.0.0.1:8787/billit/Account/Logon"}}),
        json!({}),
    );
    assert!(got.starts_with("http://127.0.0.1:8787/billit/Account/Logon?client_id=client-123&"));
}
