//! The server side's messages with variable parts read, byte for byte, as
//! the inline texts they replaced (issue 26, item 3): the frozen table pins
//! the templates, these pin what the filling makes of them.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use partner_oauth::core::encoding::b64url;
use partner_oauth::core::jwt::{self, Expect};
use partner_oauth::{Error, Token};
use serde_json::json;

use common::parse_token as parse;

fn message(result: Result<Token, Error>) -> String {
    result.unwrap_err().message().to_owned()
}

#[test]
fn a_field_of_the_wrong_type_is_named() {
    let cases = [
        (
            r#"{"access_token":"a","token_type":1}"#,
            "token_type is not a string",
        ),
        (
            r#"{"access_token":"a","refresh_token":1}"#,
            "refresh_token is not a string",
        ),
        (r#"{"access_token":"a","scope":1}"#, "scope is not a string"),
    ];
    for (body, text) in cases {
        assert_eq!(message(parse("custom", body)), text, "{body}");
    }
}

#[test]
fn the_dialects_own_refusal_is_its_text_whole() {
    let body = r#"{"token":"m-token","valid_for":6000}"#;
    let dialect = partner_oauth::core::providers::payout::PRESET.response;
    let known = dialect.not_a_token.unwrap();
    assert_eq!(message(parse("payout", body)), known.message);
    assert_eq!(
        message(parse("custom", body)),
        "the response is not an OAuth token: no access_token"
    );
}

#[test]
fn a_missing_scope_is_named() {
    let token = format!(
        "{}.{}.c2ln",
        b64url(json!({"alg": "RS256"}).to_string().as_bytes()),
        b64url(
            json!({"exp": NOW + 600, "scope": "a"})
                .to_string()
                .as_bytes()
        )
    );
    let expect = Expect {
        scopes: vec!["a".into(), "b:{}".into()],
        ..Default::default()
    };
    let err = jwt::check_claims(&jwt::decode(&token).unwrap().claims, &expect, NOW).unwrap_err();
    assert_eq!(err.message(), "the JWT lacks the scope b:{}");
}
