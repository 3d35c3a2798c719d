//! Client options: every bad option fails at construction with its code.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use partner_oauth::core::providers::PROVIDERS;
use partner_oauth::{ClientOptions, ErrorCode, StartOptions};
use serde_json::json;

#[test]
fn unknown_provider_and_environment() {
    assert_eq!(
        code_of(try_client(options("stripe", json!({})))),
        ErrorCode::UnknownProvider
    );
    let err = try_client(options("billit", json!({"environment": "staging"}))).unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnknownEnvironment);
    assert!(
        err.message().contains("production, sandbox"),
        "{}",
        err.message()
    );
}

#[test]
fn every_preset_defaults_to_production_except_custom() {
    for &(provider, _) in PROVIDERS {
        let want = match provider {
            "custom" => "default",
            _ => "production",
        };
        assert_eq!(client(provider, json!({})).environment(), want);
    }
}

#[test]
fn redirect_uris_must_be_https_or_loopback_http() {
    for ok in [
        "https://app.example.com/cb",
        "http://localhost:3000/cb",
        "http://127.0.0.1/cb",
        "http://[::1]:8080/cb",
    ] {
        assert!(
            try_client(options("payfit", json!({"redirectUri": ok}))).is_ok(),
            "{ok}"
        );
    }
    for bad in [
        "http://app.example.com/cb",
        "javascript:alert(1)",
        "data:text/html,hi",
        "com.example.app:/cb",
        "https://app.example.com/cb#frag",
        "https://user:pw@app.example.com/cb",
        "/relative/cb",
        "http://localhost.evil.com/cb",
        "http://127.0.0.1.evil.com/cb",
    ] {
        assert_eq!(
            code_of(try_client(options("payfit", json!({"redirectUri": bad})))),
            ErrorCode::InvalidRedirectUri,
            "{bad}"
        );
    }
}

#[test]
fn endpoint_overrides_are_checked_too() {
    let bad = json!({"endpoints": {"token": "http://evil.example.com/token"}});
    assert_eq!(
        code_of(try_client(options("billit", bad))),
        ErrorCode::InvalidConfig
    );
}

#[test]
fn custom_preset_without_an_authorize_endpoint_says_which_is_missing() {
    let err = client("custom", json!({}))
        .start_authorization(&StartOptions::default(), NOW, &entropy())
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::MissingEndpoint);
    assert!(
        err.message().contains("endpoints.authorize"),
        "{}",
        err.message()
    );
}

// Payout — "authorize, public docs" row: the newer hosts' token endpoint is open.
#[test]
fn payout_id_environment_has_no_guessed_token_endpoint() {
    let client = client("payout", json!({"environment": "production-id"}));
    assert_eq!(client.endpoints().token, None);
    let err = client
        .endpoint("token", &client.endpoints().token)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::MissingEndpoint);
}

#[test]
fn client_id_and_secret_are_checked() {
    assert_eq!(
        code_of(try_client(options("billit", json!({"clientId": ""})))),
        ErrorCode::InvalidConfig
    );
    assert_eq!(
        code_of(try_client(options("billit", json!({"clientId": "a\nb"})))),
        ErrorCode::InvalidConfig
    );
    assert_eq!(
        code_of(try_client(options("billit", json!({"clientSecret": ""})))),
        ErrorCode::InvalidConfig
    );
}

#[test]
fn state_key_may_be_one_or_many_and_must_be_long() {
    assert!(try_client(options("billit", json!({"stateKey": KEY}))).is_ok());
    assert!(try_client(options("billit", json!({"stateKey": [KEY, OTHER_KEY]}))).is_ok());
    assert_eq!(
        code_of(try_client(options("billit", json!({"stateKey": "short"})))),
        ErrorCode::InvalidConfig
    );
    assert_eq!(
        code_of(try_client(options("billit", json!({"stateKey": []})))),
        ErrorCode::InvalidConfig
    );
}

#[test]
fn state_max_age_bounds() {
    assert_eq!(
        code_of(try_client(options("billit", json!({"stateMaxAge": 0})))),
        ErrorCode::InvalidConfig
    );
    assert_eq!(
        code_of(try_client(options(
            "billit",
            json!({"stateMaxAge": 86_401})
        ))),
        ErrorCode::InvalidConfig
    );
}

#[test]
fn unknown_option_names_are_refused() {
    let typo = options("billit", json!({"redirectURI": REDIRECT}));
    assert_eq!(
        ClientOptions::from_json(&typo.to_string())
            .unwrap_err()
            .code(),
        ErrorCode::InvalidConfig
    );
}

#[test]
fn secret_in_a_page_with_a_dom_is_refused_unless_opted_in() {
    let with_secret: ClientOptions =
        ClientOptions::from_json(&options("billit", json!({"clientSecret": "s"})).to_string())
            .unwrap();
    assert_eq!(
        with_secret.check_secret_placement(true).unwrap_err().code(),
        ErrorCode::SecretInBrowser
    );
    assert!(with_secret.check_secret_placement(false).is_ok());
    let opted_in = ClientOptions::from_json(
        &options(
            "billit",
            json!({"clientSecret": "s", "dangerouslyAllowSecretInBrowser": true}),
        )
        .to_string(),
    )
    .unwrap();
    assert!(opted_in.check_secret_placement(true).is_ok());
    let public = ClientOptions::from_json(&options("billit", json!({})).to_string()).unwrap();
    assert!(public.check_secret_placement(true).is_ok());
}

// A page's stateKey is readable by anyone who loads the page: it signs
// nothing a visitor could not forge, and `payloadVerified: true` would then
// vouch for a payload the visitor wrote.
#[test]
fn state_key_in_a_page_with_a_dom_is_refused_unless_opted_in() {
    let key = "k".repeat(32);
    let keyed =
        ClientOptions::from_json(&options("billit", json!({"stateKey": key})).to_string()).unwrap();
    let error = keyed.check_secret_placement(true).unwrap_err();
    assert_eq!(error.code(), ErrorCode::SecretInBrowser);
    assert!(!error.to_string().contains(&key));
    assert!(keyed.check_secret_placement(false).is_ok());
    let opted_in = ClientOptions::from_json(
        &options(
            "billit",
            json!({"stateKey": [key], "dangerouslyAllowSecretInBrowser": true}),
        )
        .to_string(),
    )
    .unwrap();
    assert!(opted_in.check_secret_placement(true).is_ok());
}

#[test]
fn start_refuses_bad_arguments() {
    let start = |provider: &str, opts: serde_json::Value| {
        let opts = StartOptions::from_json(&opts.to_string()).unwrap();
        client(provider, json!({})).start_authorization(&opts, NOW, &entropy())
    };
    let invalid = ErrorCode::InvalidArgument;
    assert_eq!(
        code_of(start("billit", json!({"tokenKind": "company"}))),
        invalid
    );
    assert_eq!(
        code_of(start("factorial", json!({"tokenKind": "admin"}))),
        invalid
    );
    assert_eq!(
        code_of(start(
            "factorial",
            json!({"params": {"resource_owner_type": "user"}})
        )),
        invalid
    );
    assert_eq!(
        code_of(start("billit", json!({"params": {"state": "mine"}}))),
        invalid
    );
    assert_eq!(
        code_of(start("payfit", json!({"scopes": ["a b"]}))),
        invalid
    );
    assert_eq!(
        code_of(start("payfit", json!({"scopes": ["a,b"]}))),
        invalid
    );
    assert_eq!(code_of(start("payfit", json!({"scopes": [""]}))), invalid);
    assert_eq!(
        code_of(start("payfit", json!({"payload": "x".repeat(2049)}))),
        ErrorCode::InputTooLarge
    );
}

#[test]
fn start_without_redirect_uri_is_a_config_error() {
    let client = try_client(json!({"provider": "billit", "clientId": "c"})).unwrap();
    let err = client
        .start_authorization(&StartOptions::default(), NOW, &entropy())
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidConfig);
}

#[test]
fn custom_preset_can_drop_the_authorization_code_grant() {
    let client = client(
        "custom",
        json!({"endpoints": {"authorize": "https://as.example.com/a"}, "preset": {"grants": ["client_credentials"]}}),
    );
    let err = client
        .start_authorization(&StartOptions::default(), NOW, &entropy())
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnsupportedGrant);
}

#[test]
fn error_codes_are_unique_and_snake_case() {
    let mut seen = std::collections::HashSet::new();
    for code in ErrorCode::ALL {
        let text = code.as_str();
        assert!(seen.insert(text), "{text} twice");
        assert!(
            text.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{text}"
        );
    }
}

// Issue 24 (and 25, item 4): one token per company is preset data, read by
// partner-oauth/worker, which names no provider.
#[test]
fn presets_state_one_token_per_company() {
    for provider in ["payfit", "payout", "factorial", "tropipay", "billit"] {
        let one = client(provider, json!({})).preset().one_token_per_company;
        assert_eq!(one, provider == "payfit", "{provider}");
    }
}

// Issue 30: a rate limit per client application is preset data (PayFit's,
// from its public docs); Factorial's POST limits are not known to be per
// application, so no preset sets one by default.
#[test]
fn presets_state_their_rate_limit_per_application() {
    for provider in ["payfit", "payout", "factorial", "tropipay", "billit"] {
        let limit = client(provider, json!({})).preset().rate_limit;
        let expected = (provider == "payfit").then_some((50, 20));
        assert_eq!(
            limit.map(|r| (r.reads_per_second, r.writes_per_second)),
            expected,
            "{provider}"
        );
    }
}

// Issue 16 item 9: a preset states how long its refresh tokens last, so a
// connection refreshes before that age runs out; the custom preset can too.
#[test]
fn presets_state_their_refresh_token_lifetime() {
    let lifetime = |provider: &str, extra: serde_json::Value| {
        client(provider, extra).preset().refresh_token_lifetime
    };
    assert_eq!(lifetime("payout", json!({})), Some(90 * 86_400));
    assert_eq!(lifetime("factorial", json!({})), Some(7 * 86_400));
    assert_eq!(lifetime("billit", json!({})), None);
    assert_eq!(
        lifetime("custom", json!({"preset": {"refreshTokenLifetime": 3600}})),
        Some(3600)
    );
}
