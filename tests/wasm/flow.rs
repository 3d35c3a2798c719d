//! The start → callback flow through the JS-facing API, shared by the Node
//! and headless-Chromium test binaries. Values cross the boundary as JS
//! objects, exactly as a JS caller passes them.

use js_sys::{Reflect, JSON};
use partner_oauth::core::preset::ResponseType;
use partner_oauth::core::providers::PROVIDERS;
use partner_oauth::wasm::{new_pkce_verifier, pkce_challenge, OAuthClient};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

pub const REDIRECT: &str = "https://app.example.com/oauth/callback";
// Keyed clients opt in to a key in a page: these tests also run in Chromium
// (a page refuses a stateKey, tests/wasm_browser.rs).
pub const KEY: &str = "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk";

pub fn obj(json: &str) -> JsValue {
    JSON::parse(json).expect("test JSON")
}

pub fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).expect("property")
}

pub fn text(value: &JsValue, key: &str) -> String {
    get(value, key).as_string().unwrap_or_default()
}

/// The `code` of a thrown OAuthError.
pub fn code(error: JsValue) -> String {
    assert_eq!(text(&error, "name"), "OAuthError");
    assert!(error.is_instance_of::<js_sys::Error>());
    text(&error, "code")
}

pub fn client(provider: &str, extra: &str) -> OAuthClient {
    let json = format!(
        r#"{{"provider":"{provider}","clientId":"client-123","redirectUri":"{REDIRECT}"{extra}}}"#
    );
    OAuthClient::from_options(obj(&json))
        .map_err(code)
        .expect("client")
}

#[wasm_bindgen_test]
fn every_provider_round_trips_start_and_callback() {
    // Every preset with an authorize endpoint of its own (custom has none).
    for &(provider, preset) in PROVIDERS {
        let Some(authorize) = preset.environments[0].endpoints.authorize else {
            continue;
        };
        let response_type = match preset.response_type {
            ResponseType::Code => "response_type=code&",
            ResponseType::Omitted => "",
        };
        let prefix = format!("{authorize}?{response_type}client_id=client-123&");
        let client = client(
            provider,
            &format!(r#","stateKey":"{KEY}","dangerouslyAllowSecretInBrowser":true"#),
        );
        let started = client
            .start(obj(r#"{"payload":"user=42&co=7"}"#))
            .map_err(code)
            .unwrap();
        let url = text(&started, "url");
        assert!(url.starts_with(&prefix), "{url}");
        let state = text(&started, "state");
        let callback_url = format!("{REDIRECT}?code=the-code&state={state}");
        let callback = client
            .parse_callback(
                JsValue::from(&callback_url),
                JsValue::from(text(&started, "pending")),
            )
            .map_err(code)
            .unwrap();
        assert_eq!(text(&callback, "code"), "the-code");
        assert_eq!(text(&callback, "payload"), "user=42&co=7");
        assert!(get(&callback, "iss").is_null());
    }
}

#[wasm_bindgen_test]
fn undefined_and_null_options_mean_not_given() {
    let options = js_sys::Object::new();
    for (key, value) in [
        ("provider", JsValue::from("factorial")),
        ("clientId", "c".into()),
        ("redirectUri", REDIRECT.into()),
        ("environment", JsValue::UNDEFINED),
        ("endpoints", JsValue::NULL),
    ] {
        Reflect::set(&options, &key.into(), &value).unwrap();
    }
    let client = OAuthClient::from_options(options.into())
        .map_err(code)
        .unwrap();
    let start = js_sys::Object::new();
    Reflect::set(&start, &"scopes".into(), &JsValue::UNDEFINED).unwrap();
    Reflect::set(&start, &"payload".into(), &JsValue::NULL).unwrap();
    Reflect::set(&start, &"tokenKind".into(), &"user".into()).unwrap();
    let started = client.start(start.into()).map_err(code).unwrap();
    assert!(!text(&started, "url").contains("scope="));
}

#[wasm_bindgen_test]
fn randomness_differs_between_flows() {
    let client = client("tropipay", "");
    let a = client.start(JsValue::UNDEFINED).unwrap();
    let b = client.start(JsValue::UNDEFINED).unwrap();
    assert_ne!(text(&a, "state"), text(&b, "state"));
    assert_ne!(text(&a, "url"), text(&b, "url"));
}

#[wasm_bindgen_test]
fn tampered_state_and_denial_throw_typed_errors() {
    let client = client("billit", "");
    let started = client.start(JsValue::NULL).unwrap();
    let pending = text(&started, "pending");
    let state = text(&started, "state");
    let last = if state.ends_with('A') { 'B' } else { 'A' };
    let forged = format!(
        "{REDIRECT}?code=x&state={}{last}",
        &state[..state.len() - 1]
    );
    assert_eq!(
        code(
            client
                .parse_callback(JsValue::from(&forged), JsValue::from(pending.clone()))
                .unwrap_err()
        ),
        "state_mismatch"
    );
    let denied = format!("{REDIRECT}?error=access_denied");
    let error = client
        .parse_callback(JsValue::from(&denied), JsValue::from(pending.clone()))
        .unwrap_err();
    assert_eq!(text(&error, "providerCode"), "access_denied");
    assert_eq!(code(error), "access_denied");
    assert_eq!(
        code(
            client
                .parse_callback(JsValue::from("garbage"), JsValue::from(pending.clone()))
                .unwrap_err()
        ),
        "invalid_callback"
    );
    assert_eq!(
        code(
            client
                .parse_callback(JsValue::from(&forged), JsValue::from("p1.garbage"))
                .unwrap_err()
        ),
        "invalid_pending"
    );
}

#[wasm_bindgen_test]
fn bad_options_throw_typed_errors() {
    let bad = |json: &str| {
        code(
            OAuthClient::from_options(obj(json))
                .err()
                .unwrap_or_else(|| panic!("{json} must throw")),
        )
    };
    assert_eq!(
        bad(r#"{"provider":"nope","clientId":"c"}"#),
        "unknown_provider"
    );
    assert_eq!(
        bad(r#"{"provider":"billit","clientId":"c","environment":"x"}"#),
        "unknown_environment"
    );
    assert_eq!(
        bad(r#"{"provider":"billit","clientId":"c","redirectUri":"javascript:alert(1)"}"#),
        "invalid_redirect_uri"
    );
    assert_eq!(
        bad(r#"{"provider":"billit","clientId":"c","redirectURI":"typo"}"#),
        "invalid_config"
    );
    assert_eq!(bad(r#"{"provider":"billit"}"#), "invalid_config");
    assert_eq!(
        bad(r#"{"provider":"billit","clientId":"c","stateMaxAge":0}"#),
        "invalid_config"
    );
    client(
        "billit",
        r#","stateMaxAge":60,"preset":{"scopeSeparator":","},"endpoints":{"api":"https://x.example"}"#,
    );
    assert_eq!(bad("42"), "invalid_config");
    let client = client("billit", "");
    assert_eq!(
        code(client.start(obj(r#"{"tokenKind":"user"}"#)).unwrap_err()),
        "invalid_argument"
    );
}

#[wasm_bindgen_test]
fn pkce_helpers_follow_rfc7636() {
    assert_eq!(
        pkce_challenge(JsValue::from("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).unwrap(),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
    let verifier = new_pkce_verifier().unwrap();
    assert_eq!(verifier.len(), 43);
    assert_ne!(verifier, new_pkce_verifier().unwrap());
    assert_eq!(
        code(pkce_challenge(JsValue::from("short")).unwrap_err()),
        "invalid_argument"
    );
}

/// The JS-facing part of tests/bad_inputs.rs: what a page or a Worker can
/// hand the library, each with its typed error.
#[wasm_bindgen_test]
fn hostile_inputs_through_the_js_api() {
    let megabyte = "a".repeat(1 << 20);
    let construct = |json: &str| {
        OAuthClient::from_options(obj(json))
            .err()
            .map(code)
            .unwrap_or_else(|| "ok".into())
    };
    let options = [
        (r#"[]"#, "invalid_config"),
        (
            r#"{"provider":"billit","clientId":"c","redirectUri":"javascript:alert(1)"}"#,
            "invalid_redirect_uri",
        ),
        (
            r#"{"provider":"billit","clientId":"c","redirectUri":"http://evil.example.com/cb"}"#,
            "invalid_redirect_uri",
        ),
        (
            r#"{"provider":"billit","clientId":"c","redirectUri":"https://a.example.com@evil.com/"}"#,
            "invalid_redirect_uri",
        ),
        (
            r#"{"provider":"billit","clientId":"c","stateKey":"short","dangerouslyAllowSecretInBrowser":true}"#,
            "invalid_config",
        ),
        (
            r#"{"provider":"billit","clientId":"c","stateMaxAge":-5}"#,
            "invalid_config",
        ),
        (
            r#"{"provider":"billit","clientId":"c","endpoints":{"token":"http://evil.example.com"}}"#,
            "invalid_config",
        ),
        (
            r#"{"provider":"billit\u0000","clientId":"c"}"#,
            "unknown_provider",
        ),
    ];
    for (json, want) in options {
        assert_eq!(construct(json), want, "{json}");
    }
    // A BigInt cannot be JSON: refused, not thrown as a TypeError.
    let big = js_sys::Object::new();
    Reflect::set(&big, &"provider".into(), &"billit".into()).unwrap();
    Reflect::set(&big, &"clientId".into(), &js_sys::BigInt::from(1u32).into()).unwrap();
    assert_eq!(
        code(OAuthClient::from_options(big.into()).err().unwrap()),
        "invalid_config"
    );

    let client = client(
        "billit",
        &format!(r#","stateKey":"{KEY}","dangerouslyAllowSecretInBrowser":true"#),
    );
    let started = client.start(JsValue::UNDEFINED).unwrap();
    let pending = text(&started, "pending");
    let state = text(&started, "state");
    let callbacks = [
        (
            format!("{REDIRECT}?code={megabyte}&state={state}"),
            "input_too_large",
        ),
        (
            format!("{REDIRECT}?code=a%00b&state={state}"),
            "invalid_callback",
        ),
        (
            format!("{REDIRECT}?code=%FF&state={state}"),
            "invalid_callback",
        ),
        (
            format!("{REDIRECT}?code=a&code=b&state={state}"),
            "invalid_callback",
        ),
        (
            format!("{REDIRECT}#code=a&state={state}"),
            "invalid_callback",
        ),
        (
            format!("{REDIRECT}?code=a&state={}", state.replace('.', "%252E")),
            "state_mismatch",
        ),
        (format!("{REDIRECT}?code=a"), "state_mismatch"),
    ];
    for (url, want) in &callbacks {
        assert_eq!(
            code(
                client
                    .parse_callback(JsValue::from(url), JsValue::from(pending.clone()))
                    .unwrap_err()
            ),
            *want,
            "{}",
            &url[..url.len().min(80)]
        );
    }
    // One character of the seal changed, never to itself: "AA" in place of
    // the last two left a seal that already ended so unchanged (1 run in
    // 256: the last character of 43 holds 2 bits), and it then verified.
    let tampered = {
        let at = pending.len() - 3;
        let other = if &pending[at..at + 1] == "A" {
            "B"
        } else {
            "A"
        };
        format!("{}{other}{}", &pending[..at], &pending[at + 1..])
    };
    assert_eq!(
        code(
            client
                .parse_callback(
                    JsValue::from(&callbacks[5].0),
                    JsValue::from(tampered.clone())
                )
                .unwrap_err()
        ),
        "invalid_pending"
    );
    assert_eq!(
        code(
            client
                .parse_callback(
                    JsValue::from(&callbacks[5].0),
                    JsValue::from(megabyte.clone())
                )
                .unwrap_err()
        ),
        "input_too_large"
    );
    let start = |json: &str| code(client.start(obj(json)).unwrap_err());
    assert_eq!(start(r#"{"scopes":["a b"]}"#), "invalid_argument");
    assert_eq!(start(r#"{"params":{"state":"x"}}"#), "invalid_argument");
    assert_eq!(
        start(&format!(r#"{{"payload":"{megabyte}"}}"#)),
        "input_too_large"
    );
    let token = obj(r#"{"status":200,"body":"{\"access_token\":\"a\",\"expires_in\":1e400}"}"#);
    assert_eq!(
        code(
            client
                .parse_token_response(token, JsValue::UNDEFINED)
                .unwrap_err()
        ),
        "invalid_response"
    );
}
