//! The synchronous halves the package's JS layer (io.js) drives: a prepared
//! request, then its answer read by the wasm; and a JWT check's key choice
//! and verdict. The sending and WebCrypto themselves are tested through the
//! package (tests/pkg, tests/consumers).

use super::flow::{client, code, get, obj, text};
use partner_oauth::wasm::JwtCheck;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

fn custom() -> partner_oauth::wasm::OAuthClient {
    client(
        "custom",
        r#","clientSecret":"s3cret","dangerouslyAllowSecretInBrowser":true,"endpoints":{"authorize":"https://as.example/authorize","token":"https://as.example/token"}"#,
    )
}

#[wasm_bindgen_test]
fn a_refresh_is_prepared_then_its_answer_read() {
    let exchange = custom()
        .prepare_refresh(
            obj(r#"{"refreshToken":"old-rt","accessToken":"at"}"#),
            JsValue::UNDEFINED,
        )
        .map_err(code)
        .unwrap();
    let request = exchange.request().unwrap();
    assert_eq!(text(&request, "method"), "POST");
    assert_eq!(text(&request, "url"), "https://as.example/token");
    assert_eq!(
        text(&request, "body"),
        "grant_type=refresh_token&refresh_token=old-rt"
    );
    // RFC 6749 §2.3.1: base64("client-123:s3cret").
    assert_eq!(
        text(&get(&request, "headers"), "Authorization"),
        "Basic Y2xpZW50LTEyMzpzM2NyZXQ="
    );
    let token = exchange
        .finish(
            200,
            None,
            r#"{"access_token":"new-at","token_type":"bearer","expires_in":60}"#.into(),
        )
        .map_err(code)
        .unwrap();
    assert_eq!(text(&token, "accessToken"), "new-at");
    // No new refresh token in the answer: the old one is kept.
    assert_eq!(text(&token, "refreshToken"), "old-rt");
}

#[wasm_bindgen_test]
fn a_refused_answer_is_the_typed_error_without_the_secret() {
    let exchange = custom()
        .prepare_refresh(JsValue::from_str("old-rt"), JsValue::UNDEFINED)
        .unwrap();
    let error = exchange
        .finish(
            400,
            None,
            r#"{"error":"invalid_grant","error_description":"old-rt is revoked"}"#.into(),
        )
        .unwrap_err();
    assert!(!text(&error, "message").contains("old-rt"));
    assert_eq!(get(&error, "status").as_f64(), Some(400.0));
    assert_eq!(code(error), "invalid_grant");
}

#[wasm_bindgen_test]
fn an_api_call_refuses_only_a_refused_token() {
    let client = client("billit", r#","environment":"sandbox""#);
    let call = client
        .prepare_api_call("at".into(), "/v1/orders".into())
        .unwrap();
    assert_eq!(
        text(&get(&call.request().unwrap(), "headers"), "Authorization"),
        "Bearer at"
    );
    assert!(call
        .finish(404, None, "not here".into())
        .unwrap()
        .is_undefined());
    let error = call
        .finish(
            401,
            Some(r#"Bearer error="invalid_token""#.into()),
            String::new(),
        )
        .unwrap_err();
    assert_eq!(code(error), "invalid_token");
}

// {"alg":"ES256","kid":"k2"} . {"sub":"x"} . (a signature)
const TOKEN: &str = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsyIn0.eyJzdWIiOiJ4In0.AAAA";

#[wasm_bindgen_test]
fn a_jwt_check_offers_only_the_keys_that_fit_and_names_its_verdict() {
    let set = r#"{"keys":[
        {"kty":"EC","crv":"P-256","kid":"k1","x":"a","y":"b"},
        {"kty":"EC","crv":"P-256","kid":"k2","x":"c","y":"d"},
        {"kty":"RSA","kid":"k2","n":"e","e":"AQAB"}]}"#;
    let options = obj(&format!(r#"{{"jwks":{set},"allowMissingExp":true}}"#));
    let check = JwtCheck::new(TOKEN.into(), options).map_err(code).unwrap();
    let keys = check.candidates(None).map_err(code).unwrap();
    assert_eq!(keys.length(), 1, "same kid, same key type");
    assert_eq!(text(&keys.get(0), "x"), "c");
    let plan = check.webcrypto().unwrap();
    assert_eq!(plan.length(), 5);
    assert_eq!(plan.get(0).as_string().as_deref(), Some("jwk"));
    assert_eq!(text(&plan.get(1), "namedCurve"), "P-256");
    assert_eq!(text(&plan.get(2), "hash"), "SHA-256");
    let bytes = |i| js_sys::Uint8Array::new(&plan.get(i)).to_vec();
    assert_eq!(bytes(3), [0, 0, 0], "the signature, AAAA decoded");
    assert_eq!(bytes(4), TOKEN.rsplit_once('.').unwrap().0.as_bytes());
    assert_eq!(code(check.finish(&[]).unwrap_err()), "key_not_found");
    assert_eq!(
        code(check.finish(&[0, 1]).unwrap_err()),
        "invalid_signature"
    );
    let claims = check.finish(&[1, 2]).map_err(code).unwrap();
    assert_eq!(text(&claims, "sub"), "x");
}
