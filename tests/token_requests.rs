//! The exact token-endpoint request for every preset × grant, written by hand
//! from PROVIDERS.md (row named on each test). Secrets: `SECRET-1` (client),
//! `CODE-1`, `REFRESH-1`, `ACCESS-1`; verifier from RFC 7636 Appendix B.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use partner_oauth::core::pending::Pending;
use partner_oauth::core::preset::{Grant, Pkce};
use partner_oauth::core::providers::PROVIDERS;
use partner_oauth::{Client, ErrorCode, HttpRequest, Secret};
use serde_json::{json, Value};

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");
const JSON: (&str, &str) = ("Content-Type", "application/json");
const ACCEPT: (&str, &str) = ("Accept", "application/json");

fn secret_client(provider: &str, extra: Value) -> Client {
    let mut extra = extra;
    extra["clientSecret"] = json!("SECRET-1");
    client(provider, extra)
}

fn pending(client: &Client, verifier: bool) -> Pending {
    Pending {
        provider: client.preset().name.to_owned(),
        client_id: client.client_id().to_owned(),
        environment: client.environment().to_owned(),
        state: STATE.to_owned(),
        verifier: verifier.then(|| Secret::new(VERIFIER)),
        redirect_uri: REDIRECT.to_owned(),
        created_at: NOW,
        token_kind: None,
    }
}

fn code_request(client: &Client, verifier: bool) -> HttpRequest {
    client
        .code_request(&Secret::new("CODE-1"), &pending(client, verifier))
        .unwrap()
}

fn refresh(client: &Client) -> HttpRequest {
    client
        .refresh_request(&Secret::new("REFRESH-1"), &[])
        .unwrap()
}

#[track_caller]
fn assert_request(request: &HttpRequest, url: &str, headers: &[(&str, &str)], body: Option<&str>) {
    assert_eq!(request.method, "POST");
    assert_eq!(request.url, url);
    let got: Vec<(&str, &str)> = request
        .headers
        .iter()
        .map(|(n, v)| (*n, v.as_str()))
        .collect();
    assert_eq!(got, headers);
    assert_eq!(request.body.as_deref(), body);
}

// PayFit — "token" row: client_id, redirect_uri, code, client_secret,
// grant_type; form body (the RFC default; a PayFit plugin sends form).
#[test]
fn payfit_code_exchange() {
    let c = secret_client("payfit", json!({}));
    assert_request(
        &code_request(&c, false),
        "https://oauth.payfit.com/token",
        &[FORM, ACCEPT],
        Some(&format!(
            "grant_type=authorization_code&code=CODE-1&redirect_uri={REDIRECT_ENC}&client_id=client-123&client_secret=SECRET-1"
        )),
    );
}

// PayFit — "introspection" row: Bearer header and JSON {"token": …}.
#[test]
fn payfit_introspection() {
    let c = secret_client("payfit", json!({}));
    let request = c.introspection_request(&Secret::new("ACCESS-1")).unwrap();
    assert_request(
        &request,
        "https://oauth.payfit.com/introspect",
        &[JSON, ACCEPT, ("Authorization", "Bearer ACCESS-1")],
        Some(r#"{"token":"ACCESS-1"}"#),
    );
}

// PayFit — "token response" row: no refresh token, and no client credentials.
#[test]
fn payfit_has_no_refresh_or_client_credentials() {
    let c = secret_client("payfit", json!({}));
    assert_eq!(
        code_of(c.refresh_request(&Secret::new("R"), &[])),
        ErrorCode::UnsupportedGrant
    );
    assert_eq!(
        code_of(c.client_credentials_request(&[])),
        ErrorCode::UnsupportedGrant
    );
    assert_eq!(
        code_of(c.revocation_request(&Secret::new("R"), None)),
        ErrorCode::UnsupportedGrant
    );
}

// Payout — "token endpoint, provider reference" row: JSON body with
// grant_type, client_id, client_secret, code, redirect_uri, code_verifier.
#[test]
fn payout_code_exchange_sends_json_with_verifier() {
    let c = secret_client("payout", json!({}));
    assert_request(
        &code_request(&c, true),
        "https://app.payout.one/oauth/token",
        &[JSON, ACCEPT],
        Some(&format!(
            r#"{{"grant_type":"authorization_code","code":"CODE-1","redirect_uri":"{REDIRECT}","code_verifier":"{VERIFIER}","client_id":"client-123","client_secret":"SECRET-1"}}"#
        )),
    );
}

// Payout — "refresh" row: grant_type=refresh_token with refresh_token.
#[test]
fn payout_sandbox_refresh() {
    let c = secret_client("payout", json!({"environment": "sandbox"}));
    assert_request(
        &refresh(&c),
        "https://sandbox.payout.one/oauth/token",
        &[JSON, ACCEPT],
        Some(
            r#"{"grant_type":"refresh_token","refresh_token":"REFRESH-1","client_id":"client-123","client_secret":"SECRET-1"}"#,
        ),
    );
}

// Payout — "client credentials" row.
#[test]
fn payout_client_credentials() {
    let c = secret_client("payout", json!({}));
    assert_request(
        &c.client_credentials_request(&["VERIFY".into(), "BLAISP".into()])
            .unwrap(),
        "https://app.payout.one/oauth/token",
        &[JSON, ACCEPT],
        Some(
            r#"{"grant_type":"client_credentials","scope":"VERIFY BLAISP","client_id":"client-123","client_secret":"SECRET-1"}"#,
        ),
    );
}

// Payout — the newer hosts name no token endpoint: the caller must.
#[test]
fn payout_id_hosts_need_a_token_endpoint() {
    let c = secret_client("payout", json!({"environment": "sandbox-id"}));
    let err = c.client_credentials_request(&[]).unwrap_err();
    assert_eq!(err.code(), ErrorCode::MissingEndpoint);
    assert!(err.message().contains("endpoints.token"));
}

// Factorial — "token" row and "decision" row: form body by default.
#[test]
fn factorial_code_exchange_form_body() {
    let c = secret_client("factorial", json!({}));
    assert_request(
        &code_request(&c, false),
        "https://api.factorialhr.com/oauth/token",
        &[FORM, ACCEPT],
        Some(&format!(
            "grant_type=authorization_code&code=CODE-1&redirect_uri={REDIRECT_ENC}&client_id=client-123&client_secret=SECRET-1"
        )),
    );
}

// Factorial — "token" row: the partner guide's query-string spelling, opted into.
#[test]
fn factorial_query_string_spelling_when_asked() {
    let c = secret_client(
        "factorial",
        json!({"environment": "demo", "preset": {"tokenBody": "query"}}),
    );
    let request = code_request(&c, false);
    assert_request(
        &request,
        &format!(
            "https://api.demo.factorialhr.dev/oauth/token?grant_type=authorization_code&code=CODE-1\
             &redirect_uri={REDIRECT_ENC}&client_id=client-123&client_secret=SECRET-1"
        ),
        &[ACCEPT],
        None,
    );
    // Its Debug form drops the query, where the secret is.
    assert!(!format!("{request:?}").contains("SECRET-1"));
}

// Factorial — "user tokens, public docs" row: refresh, and POST /oauth/revoke.
#[test]
fn factorial_refresh_and_revoke() {
    let c = secret_client("factorial", json!({}));
    assert_request(
        &refresh(&c),
        "https://api.factorialhr.com/oauth/token",
        &[FORM, ACCEPT],
        Some("grant_type=refresh_token&refresh_token=REFRESH-1&client_id=client-123&client_secret=SECRET-1"),
    );
    assert_request(
        &c.revocation_request(&Secret::new("REFRESH-1"), Some("refresh_token")).unwrap(),
        "https://api.factorialhr.com/oauth/revoke",
        &[FORM, ACCEPT],
        Some("token=REFRESH-1&token_type_hint=refresh_token&client_id=client-123&client_secret=SECRET-1"),
    );
    assert_eq!(
        code_of(c.revocation_request(&Secret::new("R"), Some("id_token"))),
        ErrorCode::InvalidArgument
    );
}

// TropiPay — "token, public docs" row: JSON with grant_type, code,
// client_id, client_secret, redirect_uri, code_verifier; path /api/v2.
#[test]
fn tropipay_code_exchange() {
    let c = secret_client("tropipay", json!({"environment": "sandbox"}));
    assert_request(
        &code_request(&c, true),
        "https://sandbox.tropipay.me/api/v2/access/token",
        &[JSON, ACCEPT],
        Some(&format!(
            r#"{{"grant_type":"authorization_code","code":"CODE-1","redirect_uri":"{REDIRECT}","code_verifier":"{VERIFIER}","client_id":"client-123","client_secret":"SECRET-1"}}"#
        )),
    );
}

// TropiPay — "client credentials" row, and the "decision" row's /api/v2 path.
#[test]
fn tropipay_client_credentials_and_refresh() {
    let c = secret_client("tropipay", json!({}));
    assert_request(
        &c.client_credentials_request(&["ALLOW_GET_BALANCE".into()])
            .unwrap(),
        "https://www.tropipay.com/api/v2/access/token",
        &[JSON, ACCEPT],
        Some(
            r#"{"grant_type":"client_credentials","scope":"ALLOW_GET_BALANCE","client_id":"client-123","client_secret":"SECRET-1"}"#,
        ),
    );
    assert_request(
        &refresh(&c),
        "https://www.tropipay.com/api/v2/access/token",
        &[JSON, ACCEPT],
        Some(
            r#"{"grant_type":"refresh_token","refresh_token":"REFRESH-1","client_id":"client-123","client_secret":"SECRET-1"}"#,
        ),
    );
}

// TropiPay — "decision" row: /api/v3 for client credentials by override.
#[test]
fn tropipay_v3_token_path_by_override() {
    let c = secret_client(
        "tropipay",
        json!({"endpoints": {"token": "https://www.tropipay.com/api/v3/access/token"}}),
    );
    assert_eq!(
        c.client_credentials_request(&[]).unwrap().url,
        "https://www.tropipay.com/api/v3/access/token"
    );
}

// Billit — "token" row: JSON body client_id, client_secret, code,
// grant_type, redirect_uri.
#[test]
fn billit_code_exchange() {
    let c = secret_client("billit", json!({"environment": "sandbox"}));
    assert_request(
        &code_request(&c, false),
        "https://api.sandbox.billit.be/OAuth2/token",
        &[JSON, ACCEPT],
        Some(&format!(
            r#"{{"grant_type":"authorization_code","code":"CODE-1","redirect_uri":"{REDIRECT}","client_id":"client-123","client_secret":"SECRET-1"}}"#
        )),
    );
}

// Billit — "refresh" row: JSON with grant_type, refresh_token, client_id, client_secret.
#[test]
fn billit_refresh_production() {
    let c = secret_client("billit", json!({}));
    assert_request(
        &refresh(&c),
        "https://api.billit.be/OAuth2/token",
        &[JSON, ACCEPT],
        Some(
            r#"{"grant_type":"refresh_token","refresh_token":"REFRESH-1","client_id":"client-123","client_secret":"SECRET-1"}"#,
        ),
    );
    // "lifetimes, public docs" row: no client-credentials grant.
    assert_eq!(
        code_of(c.client_credentials_request(&[])),
        ErrorCode::UnsupportedGrant
    );
}

fn custom(extra: Value) -> Value {
    let mut base = json!({"endpoints": {
        "authorize": "https://as.example.com/authorize", "token": "https://as.example.com/token",
        "introspect": "https://as.example.com/introspect", "revoke": "https://as.example.com/revoke"}});
    if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    base
}

// Custom — RFC 6749 §2.3.1: HTTP Basic, credentials form-encoded first.
#[test]
fn custom_uses_http_basic() {
    let c = secret_client("custom", custom(json!({})));
    let basic = ("Authorization", "Basic Y2xpZW50LTEyMzpTRUNSRVQtMQ==");
    assert_request(
        &code_request(&c, true),
        "https://as.example.com/token",
        &[basic, FORM, ACCEPT],
        Some(&format!("grant_type=authorization_code&code=CODE-1&redirect_uri={REDIRECT_ENC}&code_verifier={VERIFIER}")),
    );
    // RFC 7662 §2.1 and RFC 7009 §2.1.
    assert_request(
        &c.introspection_request(&Secret::new("ACCESS-1")).unwrap(),
        "https://as.example.com/introspect",
        &[basic, FORM, ACCEPT],
        Some("token=ACCESS-1&token_type_hint=access_token"),
    );
    assert_request(
        &c.revocation_request(&Secret::new("ACCESS-1"), None)
            .unwrap(),
        "https://as.example.com/revoke",
        &[basic, FORM, ACCEPT],
        Some("token=ACCESS-1"),
    );
}

#[test]
fn basic_credentials_are_form_encoded_before_base64() {
    let c = client(
        "custom",
        custom(json!({"clientId": "a:b", "clientSecret": "p@ss w/rd"})),
    );
    let request = c.client_credentials_request(&[]).unwrap();
    assert_eq!(
        request.header("authorization"),
        Some("Basic YSUzQWI6cCU0MHNzK3clMkZyZA==")
    );
}

// A public client (no secret) sends client_id and must use PKCE.
#[test]
fn public_client_sends_client_id_and_needs_pkce() {
    let c = client("custom", custom(json!({})));
    assert_request(
        &code_request(&c, true),
        "https://as.example.com/token",
        &[FORM, ACCEPT],
        Some(&format!(
            "grant_type=authorization_code&code=CODE-1&redirect_uri={REDIRECT_ENC}&code_verifier={VERIFIER}&client_id=client-123"
        )),
    );
    let err = c
        .code_request(&Secret::new("CODE-1"), &pending(&c, false))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidConfig);
    assert_eq!(
        code_of(c.client_credentials_request(&[])),
        ErrorCode::InvalidConfig
    );
}

// Cold review 62: a Billit client without its secret started a flow and
// parsed the callback, then its exchange said "must use PKCE", which Billit
// does not support. A preset without PKCE names the secret as the cure.
#[test]
fn a_code_exchange_without_secret_or_pkce_names_the_secret() {
    let mut checked = Vec::new();
    for &(provider, preset) in PROVIDERS {
        if preset.pkce != Pkce::Unsupported || !preset.grants.contains(&Grant::AuthorizationCode) {
            continue;
        }
        let c = client(provider, json!({}));
        let err = c
            .code_request(&Secret::new("CODE-1"), &pending(&c, false))
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidConfig, "{provider}");
        assert_eq!(
            err.message(),
            format!("{provider} has no PKCE, so exchanging its code needs the clientSecret (exchange on your server, which keeps it)"),
        );
        checked.push(provider);
    }
    assert!(checked.contains(&"billit") && checked.contains(&"payfit"));
    // Where PKCE exists, a flow without a verifier is what the message names.
    let c = client("custom", custom(json!({})));
    let err = c
        .code_request(&Secret::new("CODE-1"), &pending(&c, false))
        .unwrap_err();
    assert_eq!(
        err.message(),
        "a public client (no clientSecret) must use PKCE"
    );
}

#[test]
fn secrets_never_in_a_url_unless_query_encoding_was_chosen() {
    for &(provider, preset) in PROVIDERS {
        // A preset whose sources name no token endpoint gets one.
        let extra = match preset.environments[0].endpoints.token {
            Some(_) => json!({}),
            None => json!({"endpoints": {"token": "https://as.example.com/t"}}),
        };
        let c = secret_client(provider, extra);
        let request = code_request(&c, true);
        assert!(
            !request.url.contains("SECRET-1") && !request.url.contains("CODE-1"),
            "{provider}"
        );
        let printed = format!("{request:?}");
        assert!(
            !printed.contains("SECRET-1") && !printed.contains("CODE-1"),
            "{printed}"
        );
    }
}

// API calls go to the preset's API base, and only there.
#[test]
fn api_requests_stay_on_the_api_origin() {
    let c = secret_client("payfit", json!({}));
    let request = c
        .api_request(&Secret::new("ACCESS-1"), "/companies/co_1")
        .unwrap();
    assert_eq!(request.method, "GET");
    assert_eq!(request.url, "https://partner-api.payfit.com/companies/co_1");
    assert_eq!(request.header("Authorization"), Some("Bearer ACCESS-1"));
    for bad in [
        "companies",
        "//evil.example.com/x",
        "/\\evil.example.com",
        "https://evil.example.com/",
    ] {
        assert_eq!(
            code_of(c.api_request(&Secret::new("A"), bad)),
            ErrorCode::InvalidArgument,
            "{bad}"
        );
    }
    let billit = secret_client("billit", json!({"environment": "sandbox"}));
    assert_eq!(
        billit
            .api_request(&Secret::new("A"), "/v1/orders")
            .unwrap()
            .url,
        "https://api.sandbox.billit.be/v1/orders"
    );
    let payout = secret_client("payout", json!({}));
    assert_eq!(
        code_of(payout.api_request(&Secret::new("A"), "/v1/x")),
        ErrorCode::MissingEndpoint
    );
}

// Cold review 58, finding 7: a flow started with one redirect URI and
// exchanged by a client configured with another sent the client's (RFC 6749
// §4.1.3 wants the authorization request's, identical), and only the
// provider's invalid_grant said so. Now the exchange refuses it first,
// naming neither URI's secret parts (a redirect URI holds none).
#[test]
fn cold58_finding_7_a_flow_started_with_another_redirect_uri_is_refused_before_sending() {
    let c = secret_client("billit", json!({}));
    let mut moved = pending(&c, false);
    moved.redirect_uri = "https://elsewhere.example/cb".to_owned();
    let err = c.code_request(&Secret::new("CODE-1"), &moved).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidConfig);
    assert_eq!(
        err.message(),
        "the flow started with another redirectUri than this client's: the provider would refuse the code (RFC 6749 §4.1.3); exchange it with a client configured with the flow's"
    );
    // The same URI exchanges as before.
    assert!(c
        .code_request(&Secret::new("CODE-1"), &pending(&c, false))
        .is_ok());
}
