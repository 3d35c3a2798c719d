//! JWT signatures verified through WebCrypto, for each algorithm, with keys
//! as a JWK, a JWK Set and PEM; one flipped bit anywhere is refused.

use super::flow::{code, get, obj, text};
use js_sys::{Reflect, JSON};
use partner_oauth::wasm::verify_access_token;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen(module = "/tests/wasm/jwt_helper.js")]
extern "C" {
    #[wasm_bindgen(js_name = makeToken)]
    async fn make_token(alg: &str, claims: JsValue) -> JsValue;
    #[wasm_bindgen(js_name = flipBit)]
    fn flip_bit(token: &str, part: u32) -> String;
}

fn claims() -> JsValue {
    let now = (js_sys::Date::now() / 1000.0) as u64;
    obj(&format!(
        r#"{{"iss":"https://www.tropipay.com","aud":"tropipay-api","exp":{},"scope":"ALLOW_GET_BALANCE","sub":"m2m-client"}}"#,
        now + 3600
    ))
}

async fn verify(token: &str, options: &JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(verify_access_token(token.to_owned(), options.clone())).await
}

fn options(keys: (&str, JsValue)) -> JsValue {
    let options = obj(
        r#"{"issuer":"https://www.tropipay.com","audience":"tropipay-api","requiredScopes":["ALLOW_GET_BALANCE"]}"#,
    );
    Reflect::set(&options, &keys.0.into(), &keys.1).unwrap();
    options
}

#[wasm_bindgen_test]
async fn every_algorithm_verifies_and_refuses_a_flipped_bit() {
    for alg in ["RS256", "PS256", "ES256", "HS256"] {
        let made = make_token(alg, claims()).await;
        let token = text(&made, "token");
        let jwk = get(&made, "jwk");
        let set = obj(&format!(
            r#"{{"keys":[{}]}}"#,
            JSON::stringify(&jwk).unwrap().as_string().unwrap()
        ));
        let mut key_forms = vec![("key", jwk.clone()), ("jwks", set)];
        if !get(&made, "pem").is_null() {
            key_forms.push(("key", get(&made, "pem")));
        }
        for form in key_forms {
            let opts = options(form.clone());
            let claims = verify(&token, &opts).await.unwrap_or_else(|e| {
                panic!("{alg} {}: {} {}", form.0, text(&e, "message"), code(e))
            });
            assert_eq!(text(&claims, "sub"), "m2m-client", "{alg}");
            for part in 0..3 {
                let error = verify(&flip_bit(&token, part), &opts)
                    .await
                    .expect_err("a flipped bit must be refused");
                assert_eq!(code(error), "invalid_signature", "{alg} part {part}");
            }
        }
    }
}

#[wasm_bindgen_test]
async fn the_checks_name_what_failed() {
    let made = make_token("ES256", claims()).await;
    let token = text(&made, "token");
    let jwk = get(&made, "jwk");
    let check = |json: &str| {
        let o = obj(json);
        Reflect::set(&o, &"key".into(), &jwk).unwrap();
        o
    };
    let token_ref = &token;
    let refused =
        |o: JsValue| async move { code(verify(token_ref, &o).await.expect_err("must be refused")) };
    assert_eq!(
        refused(check(r#"{"issuer":"https://evil.example.com"}"#)).await,
        "issuer_mismatch"
    );
    assert_eq!(
        refused(check(r#"{"audience":"other-api"}"#)).await,
        "audience_mismatch"
    );
    assert_eq!(
        refused(check(r#"{"requiredScopes":["ALLOW_PAYOUTS"]}"#)).await,
        "insufficient_scope"
    );
    assert_eq!(
        refused(check(r#"{"algorithms":["RS256"]}"#)).await,
        "algorithm_not_allowed"
    );
    // An empty or unknown list is a mistake in the options, not "allow all".
    for algorithms in [
        r#"{"algorithms":[]}"#,
        r#"{"algorithms":["ES256","ES512"]}"#,
    ] {
        assert_eq!(
            refused(check(algorithms)).await,
            "invalid_config",
            "{algorithms}"
        );
    }
    // Alg confusion: the same header claiming HS256, checked with the EC key.
    let parts: Vec<&str> = token.split('.').collect();
    let hs_header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InRlc3Qta2V5In0"; // {"alg":"HS256","typ":"JWT","kid":"test-key"}
    let confused = format!("{hs_header}.{}.{}", parts[1], parts[2]);
    assert_eq!(
        code(verify(&confused, &check("{}")).await.unwrap_err()),
        "key_not_found"
    );
    let none = format!("eyJhbGciOiJub25lIn0.{}.", parts[1]); // {"alg":"none"}
    assert_eq!(
        code(verify(&none, &check("{}")).await.unwrap_err()),
        "algorithm_not_allowed"
    );
    assert_eq!(
        code(verify("a.b", &check("{}")).await.unwrap_err()),
        "invalid_jwt"
    );
    let expired = make_token("ES256", obj(r#"{"exp":1000}"#)).await;
    let expired_key = get(&expired, "jwk");
    let o = obj("{}");
    Reflect::set(&o, &"key".into(), &expired_key).unwrap();
    assert_eq!(
        code(verify(&text(&expired, "token"), &o).await.unwrap_err()),
        "token_expired"
    );
}
