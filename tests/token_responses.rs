//! A table of token, introspection, API and error responses → the expected
//! `Token`, `Introspection` or typed error.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use partner_oauth::core::encoding::b64url;
use partner_oauth::{Client, ErrorCode, Expiry, HttpRequest, HttpResponse, Secret, Token};
use serde_json::json;

/// name, provider, token kind, status, body, expected.
type Case<'a> = (&'a str, &'a str, Option<&'a str>, u16, &'a str, Want);

enum Want {
    Issued {
        token_type: &'static str,
        expiry: Expiry,
        refresh: Option<&'static str>,
        scopes: &'static [&'static str],
    },
    Error(ErrorCode, Option<&'static str>),
}
use Want::*;

fn setup(provider: &str) -> (Client, HttpRequest) {
    // Every preset gets an API base so any of them can build a request.
    let client = client(
        provider,
        json!({"clientSecret": "SECRET-1", "endpoints": {"api": "https://api.example.com"}}),
    );
    let request = client.api_request(&Secret::new("ACCESS-1"), "/x").unwrap();
    (client, request)
}

fn response(status: u16, body: &str) -> HttpResponse {
    HttpResponse {
        status,
        www_authenticate: None,
        body: body.to_owned(),
    }
}

fn parse(
    provider: &str,
    kind: Option<&str>,
    status: u16,
    body: &str,
) -> Result<Token, partner_oauth::Error> {
    let (client, request) = setup(provider);
    client.parse_token_response(&request, &response(status, body), NOW, kind)
}

fn jwt(claims: serde_json::Value) -> String {
    let header = b64url(br#"{"alg":"HS256","typ":"JWT"}"#);
    format!(
        "{header}.{}.c2lnbmF0dXJl",
        b64url(claims.to_string().as_bytes())
    )
}

#[track_caller]
fn check(name: &str, got: Result<Token, partner_oauth::Error>, want: Want) {
    match (got, want) {
        (
            Ok(token),
            Issued {
                token_type,
                expiry,
                refresh,
                scopes,
            },
        ) => {
            assert_eq!(token.token_type, token_type, "{name}");
            assert_eq!(token.expiry, expiry, "{name}");
            assert_eq!(
                token.refresh_token.as_ref().map(|s| s.expose()),
                refresh,
                "{name}"
            );
            assert_eq!(token.scopes, scopes, "{name}");
        }
        (Err(e), Error(code, provider)) => {
            assert_eq!(e.code(), code, "{name}: {e}");
            assert_eq!(e.provider_code(), provider, "{name}");
        }
        (got, _) => panic!("{name}: unexpected {got:?}"),
    }
}

#[test]
fn token_endpoint_table() {
    let tropipay_jwt = jwt(json!({"exp": NOW + 1800, "sub": "m2m"}));
    let tropipay_body = json!({"access_token": tropipay_jwt, "token_type": "Bearer", "expires_in": 1741987517, "refresh_token": "tp-r"}).to_string();
    let ten_mb = format!("{{\"access_token\":\"{}\"}}", "a".repeat(10 << 20));
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let at = |secs: u64| Expiry::At(NOW + secs);
    #[rustfmt::skip]
    let table: Vec<Case> = vec![
        // RFC 6749 §5.1's example, with its non-Bearer token type.
        ("rfc6749 5.1", "custom", None, 200, r#"{"access_token":"2YotnFZFEjr1zCsicMWpAA","token_type":"example","expires_in":3600,"refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA","example_parameter":"example_value"}"#,
            Issued { token_type: "example", expiry: at(3600), refresh: Some("tGzv3JOkF0XG5Qx2TlKWIA"), scopes: &[] }),
        // RFC 6749 §5.2's example and every error code it lists.
        ("rfc6749 5.2 invalid_request", "custom", None, 400, r#"{"error":"invalid_request"}"#, Error(ErrorCode::TokenError, Some("invalid_request"))),
        ("invalid_grant", "billit", None, 400, r#"{"error":"invalid_grant","error_description":"code used"}"#, Error(ErrorCode::InvalidGrant, Some("invalid_grant"))),
        ("invalid_client", "payout", None, 401, r#"{"error":"invalid_client"}"#, Error(ErrorCode::InvalidClient, Some("invalid_client"))),
        ("unauthorized_client", "custom", None, 400, r#"{"error":"unauthorized_client"}"#, Error(ErrorCode::TokenError, Some("unauthorized_client"))),
        ("unsupported_grant_type", "custom", None, 400, r#"{"error":"unsupported_grant_type"}"#, Error(ErrorCode::TokenError, Some("unsupported_grant_type"))),
        ("invalid_scope", "custom", None, 400, r#"{"error":"invalid_scope"}"#, Error(ErrorCode::TokenError, Some("invalid_scope"))),
        ("error with status 200", "custom", None, 200, r#"{"error":"invalid_grant"}"#, Error(ErrorCode::InvalidGrant, Some("invalid_grant"))),
        // PayFit — "token response" row: lowercase bearer, never expires.
        ("payfit", "payfit", None, 200, r#"{"access_token":"pf-a","token_type":"bearer"}"#,
            Issued { token_type: "Bearer", expiry: Expiry::Never, refresh: None, scopes: &[] }),
        // Billit — "token response" row.
        ("billit", "billit", None, 200, r#"{"token_type":"Bearer","expires_in":3600,"access_token":"b-a","refresh_token":"b-r"}"#,
            Issued { token_type: "Bearer", expiry: at(3600), refresh: Some("b-r"), scopes: &[] }),
        // Billit — "field casing" row: Expires_In.
        ("billit Expires_In", "billit", None, 200, r#"{"token_type":"Bearer","Expires_In":1800,"access_token":"b-a","refresh_token":"b-r"}"#,
            Issued { token_type: "Bearer", expiry: at(1800), refresh: Some("b-r"), scopes: &[] }),
        // Billit — docs: 60 minutes when the response is silent.
        ("billit no expiry", "billit", None, 200, r#"{"access_token":"b-a"}"#,
            Issued { token_type: "Bearer", expiry: at(3600), refresh: None, scopes: &[] }),
        // Factorial — "token response, public docs" row.
        ("factorial user", "factorial", Some("user"), 200, r#"{"access_token":"f-a","token_type":"Bearer","expires_in":7200,"refresh_token":"f-r","scope":"read write","created_at":1700000000}"#,
            Issued { token_type: "Bearer", expiry: at(7200), refresh: Some("f-r"), scopes: &["read", "write"] }),
        // Factorial — "company token" row: never expires…
        ("factorial company", "factorial", Some("company"), 200, r#"{"access_token":"f-a","token_type":"Bearer"}"#,
            Issued { token_type: "Bearer", expiry: Expiry::Never, refresh: None, scopes: &[] }),
        // …unless the response carries expires_in, which wins.
        ("factorial company expires_in", "factorial", Some("company"), 200, r#"{"access_token":"f-a","expires_in":60}"#,
            Issued { token_type: "Bearer", expiry: at(60), refresh: None, scopes: &[] }),
        ("factorial user default", "factorial", Some("user"), 200, r#"{"access_token":"f-a"}"#,
            Issued { token_type: "Bearer", expiry: at(3600), refresh: None, scopes: &[] }),
        // TropiPay — "access tokens" and "quirk" rows: the JWT's exp wins
        // over an epoch expires_in.
        ("tropipay jwt", "tropipay", None, 200, &tropipay_body,
            Issued { token_type: "Bearer", expiry: at(1800), refresh: Some("tp-r"), scopes: &[] }),
        ("tropipay epoch expires_in", "tropipay", None, 200, r#"{"access_token":"opaque","expires_in":1741987517}"#,
            Issued { token_type: "Bearer", expiry: Expiry::At(1741987517), refresh: None, scopes: &[] }),
        ("expires_in as a string", "custom", None, 200, r#"{"access_token":"a","expires_in":"3600"}"#,
            Issued { token_type: "Bearer", expiry: at(3600), refresh: None, scopes: &[] }),
        ("custom silent expiry", "custom", None, 200, r#"{"access_token":"a","token_type":"BEARER"}"#,
            Issued { token_type: "Bearer", expiry: Expiry::Unknown, refresh: None, scopes: &[] }),
        ("comma scopes", "custom", None, 200, r#"{"access_token":"a","scope":"a:read,b:read"}"#,
            Issued { token_type: "Bearer", expiry: Expiry::Unknown, refresh: None, scopes: &["a:read", "b:read"] }),
        ("list scopes", "custom", None, 200, r#"{"access_token":"a","scope":["x","y"]}"#,
            Issued { token_type: "Bearer", expiry: Expiry::Unknown, refresh: None, scopes: &["x", "y"] }),
        ("null refresh token", "custom", None, 200, r#"{"access_token":"a","refresh_token":null}"#,
            Issued { token_type: "Bearer", expiry: Expiry::Unknown, refresh: None, scopes: &[] }),
        ("negative expires_in", "custom", None, 200, r#"{"access_token":"a","expires_in":-5}"#, Error(ErrorCode::InvalidResponse, None)),
        ("huge expires_in", "custom", None, 200, r#"{"access_token":"a","expires_in":1e300}"#, Error(ErrorCode::InvalidResponse, None)),
        ("word expires_in", "custom", None, 200, r#"{"access_token":"a","expires_in":"soon"}"#, Error(ErrorCode::InvalidResponse, None)),
        ("HTML 502", "billit", None, 502, "<html><body>Bad Gateway</body></html>", Error(ErrorCode::HttpError, None)),
        ("empty 500", "payfit", None, 500, "", Error(ErrorCode::HttpError, None)),
        ("HTML 200", "payfit", None, 200, "<!doctype html><p>Login</p>", Error(ErrorCode::InvalidResponse, None)),
        ("empty object", "custom", None, 200, "{}", Error(ErrorCode::InvalidResponse, None)),
        ("JSON array", "custom", None, 200, "[1,2]", Error(ErrorCode::InvalidResponse, None)),
        // Payout — "merchant API token" row: not an OAuth token.
        ("payout merchant token", "payout", None, 200, r#"{"token":"m-token","valid_for":6000}"#, Error(ErrorCode::InvalidResponse, None)),
        ("empty access_token", "custom", None, 200, r#"{"access_token":""}"#, Error(ErrorCode::InvalidResponse, None)),
        ("numeric access_token", "custom", None, 200, r#"{"access_token":42}"#, Error(ErrorCode::InvalidResponse, None)),
        ("10 MB body", "custom", None, 200, &ten_mb, Error(ErrorCode::InputTooLarge, None)),
        ("deeply nested", "custom", None, 200, &deep, Error(ErrorCode::InvalidResponse, None)),
        ("errors array at token endpoint", "billit", None, 400, r#"{"errors":[{"Code":"InvalidAccessToken"}]}"#, Error(ErrorCode::InvalidToken, Some("InvalidAccessToken"))),
    ];
    assert!(table.len() >= 30);
    for (name, provider, kind, status, body, want) in table {
        check(name, parse(provider, kind, status, body), want);
    }
}

#[test]
fn extra_fields_are_kept_and_raw_body_is_redacted_in_debug() {
    let token = parse(
        "factorial",
        Some("user"),
        200,
        r#"{"access_token":"f-a-SECRET","created_at":1700000000,"expires_in":60}"#,
    )
    .unwrap();
    let extra: Vec<&str> = token.extra.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(extra, ["created_at"]);
    assert_eq!(token.extra[0].1.as_u64(), Some(1_700_000_000));
    let printed = format!("{token:?}");
    assert!(!printed.contains("f-a-SECRET"), "{printed}");
}

#[test]
fn expiry_and_refresh_decisions() {
    let token = parse(
        "billit",
        None,
        200,
        r#"{"access_token":"a","expires_in":100,"refresh_token":"r1"}"#,
    )
    .unwrap();
    assert_eq!(token.expires_at(), Some(NOW + 100));
    assert!(!token.is_expired(NOW + 39, 60));
    assert!(token.is_expired(NOW + 40, 60));
    assert!(token.refresh_token.is_some());
    let never = parse(
        "payfit",
        None,
        200,
        r#"{"access_token":"a","token_type":"bearer"}"#,
    )
    .unwrap();
    assert!(!never.is_expired(u64::MAX, 60));
    assert_eq!(never.expires_at(), None);
}

#[test]
fn refresh_rotation_and_keeping_the_old_refresh_token() {
    let old = parse(
        "factorial",
        Some("user"),
        200,
        r#"{"access_token":"a1","refresh_token":"r1"}"#,
    )
    .unwrap();
    let rotated = parse(
        "factorial",
        Some("user"),
        200,
        r#"{"access_token":"a2","refresh_token":"r2"}"#,
    )
    .unwrap()
    .refreshed_from(&old);
    assert_eq!(rotated.refresh_token.unwrap().expose(), "r2");
    let kept = parse("factorial", Some("user"), 200, r#"{"access_token":"a2"}"#)
        .unwrap()
        .refreshed_from(&old);
    assert_eq!(kept.refresh_token.unwrap().expose(), "r1");
}

fn api(
    provider: &str,
    status: u16,
    www: Option<&str>,
    body: &str,
) -> Result<(), partner_oauth::Error> {
    let (client, request) = setup(provider);
    let response = HttpResponse {
        status,
        www_authenticate: www.map(str::to_owned),
        body: body.to_owned(),
    };
    client.check_api_response(&request, &response)
}

// Billit — "errors" row: codes from API calls made with a token.
#[test]
fn billit_api_errors() {
    for (code, want) in [
        ("InvalidAccessToken", ErrorCode::InvalidToken),
        ("AccessTokenExpired", ErrorCode::TokenExpired),
        ("AccessTokenRevoked", ErrorCode::TokenRevoked),
    ] {
        let err = api(
            "billit",
            401,
            None,
            &format!(r#"{{"errors":[{{"Code":"{code}"}}]}}"#),
        )
        .unwrap_err();
        assert_eq!(
            (err.code(), err.provider_code(), err.status()),
            (want, Some(code), Some(401))
        );
    }
    // Another provider's dialect has no such envelope: an HTTP error, and
    // Billit's code is not read into it.
    let err = api(
        "payfit",
        401,
        None,
        r#"{"errors":[{"Code":"AccessTokenExpired"}]}"#,
    )
    .unwrap_err();
    assert_eq!(
        (err.code(), err.provider_code()),
        (ErrorCode::HttpError, None)
    );
    // The custom preset still reads the envelope leniently: the code kept.
    let err = api(
        "custom",
        401,
        None,
        r#"{"errors":[{"Code":"AccessTokenExpired"}]}"#,
    )
    .unwrap_err();
    assert_eq!(
        (err.code(), err.provider_code()),
        (ErrorCode::HttpError, Some("AccessTokenExpired"))
    );
}

// RFC 6750 §3's example challenge.
#[test]
fn bearer_challenge_on_401() {
    let www = r#"Bearer realm="example", error="invalid_token", error_description="The access token expired""#;
    let err = api("payfit", 401, Some(www), "").unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidToken);
    assert_eq!(err.provider_message(), Some("The access token expired"));
}

#[test]
fn other_api_statuses_are_the_callers() {
    assert!(api("billit", 200, None, "{}").is_ok());
    assert!(api("billit", 404, None, "not found").is_ok());
    assert!(api("billit", 500, None, "<html>").is_ok());
    assert_eq!(
        api("billit", 401, None, "").unwrap_err().code(),
        ErrorCode::HttpError
    );
}

fn introspect(
    provider: &str,
    body: &str,
) -> Result<partner_oauth::Introspection, partner_oauth::Error> {
    let (client, request) = setup(provider);
    client.parse_introspection_response(&request, &response(200, body))
}

// RFC 7662 §2.2's example.
#[test]
fn rfc7662_introspection_example() {
    let got = introspect("custom", r#"{"active":true,"client_id":"l238j323ds-23ij4","username":"jdoe","scope":"read write dolphin","sub":"Z5O3upPC88QrAjx00dis","aud":"https://protected.example.net/resource","iss":"https://server.example.com/","exp":1419356238,"iat":1419350238,"extension_field":"twenty-seven"}"#).unwrap();
    assert!(got.active);
    assert_eq!(got.scopes, ["read", "write", "dolphin"]);
    assert_eq!(got.client_id.as_deref(), Some("l238j323ds-23ij4"));
    assert_eq!(got.expires_at, Some(1419356238));
    assert_eq!(got.sub.as_deref(), Some("Z5O3upPC88QrAjx00dis"));
    assert!(!introspect("custom", r#"{"active":false}"#).unwrap().active);
    assert_eq!(
        introspect("custom", r#"{"scope":"x"}"#).unwrap_err().code(),
        ErrorCode::InvalidResponse
    );
}

// PayFit — "introspection" and "one token per company" rows. The JS layer
// (io.js) sets the result's company on the token it introspected.
#[test]
fn payfit_introspection_gives_company_id_to_attach() {
    let got = introspect("payfit", r#"{"active":true,"scope":"scope1 scope2","client_id":"your client id","company_id":"the_company_id","token_type":"bearer"}"#).unwrap();
    assert_eq!(got.company.as_deref(), Some("the_company_id"));
    // A provider whose dialect names no company field reads none.
    let other = introspect("factorial", r#"{"active":true,"company_id":"c"}"#).unwrap();
    assert_eq!(other.company, None);
}

#[test]
fn error_excerpts_hold_no_secret_in_any_encoding() {
    let client = client(
        "custom",
        json!({"clientSecret": "SECRET-with space&more", "endpoints": {"token": "https://as.example.com/t"}}),
    );
    let request = client
        .refresh_request(&Secret::new("REFRESH-marker-42"), &[])
        .unwrap();
    let body = "echo: SECRET-with space&more SECRET-with+space%26more U0VDUkVULXdpdGggc3BhY2UmbW9yZQ REFRESH-marker-42 \
                UkVGUkVTSC1tYXJrZXItNDI";
    let err = client
        .parse_token_response(&request, &response(500, body), NOW, None)
        .unwrap_err();
    let excerpt = err.body_excerpt().unwrap();
    for leak in ["SECRET", "REFRESH-marker", "U0VDUkVU", "UkVGUkVTSC1"] {
        assert!(!excerpt.contains(leak), "{leak} in {excerpt}");
    }
    // Found by fuzzing: a secret as a key name must not reach the message.
    let keyed = r#"{"aREFRESH-marker-42n_type":"bearer"}"#;
    let err = client
        .parse_token_response(&request, &response(200, keyed), NOW, None)
        .unwrap_err();
    assert!(
        !format!("{err} {err:?}").contains("REFRESH-marker-42"),
        "{err:?}"
    );

    // Found by fuzzing: a secret split by control characters, which the
    // excerpt drops, must not be joined back together.
    let split = "REFRESH-marker\u{0}\u{1}-42 and REFRESH-marker-\u{7f}42";
    let err = client
        .parse_token_response(&request, &response(500, split), NOW, None)
        .unwrap_err();
    assert!(
        !err.body_excerpt().unwrap().contains("REFRESH-marker-42"),
        "{:?}",
        err.body_excerpt()
    );

    let json_body = r#"{"error":"server_error","access_token":"AT-marker","nested":{"refresh_token":"RT-marker"}}"#;
    let err = client
        .parse_token_response(&request, &response(500, json_body), NOW, None)
        .unwrap_err();
    let excerpt = err.body_excerpt().unwrap();
    assert!(
        !excerpt.contains("AT-marker") && !excerpt.contains("RT-marker"),
        "{excerpt}"
    );
    assert!(excerpt.contains("server_error"));
}

// Issue 17 item 6, RFC 6749 §5.1: "scope: OPTIONAL, if identical to the
// scope requested by the client". An answer without it granted what was
// asked; the token says so, and that it was inferred.
#[test]
fn an_omitted_scope_is_the_requested_scope_marked_inferred() {
    let client = client(
        "tropipay",
        json!({"clientSecret": "SECRET-1", "environment": "sandbox"}),
    );
    let asked = ["ALLOW_GET_BALANCE".to_owned(), "ALLOW_PAYOUTS".to_owned()];
    let request = client.client_credentials_request(&asked).unwrap();
    let body = r#"{"access_token":"a1","token_type":"Bearer","expires_in":3600}"#;
    let token = client
        .parse_token_response(&request, &response(200, body), NOW, None)
        .unwrap();
    assert_eq!(token.scopes, asked);
    assert!(token.scopes_inferred);
    // Stated by the server: taken as stated, even when narrower.
    let body = r#"{"access_token":"a1","token_type":"Bearer","expires_in":3600,"scope":"ALLOW_GET_BALANCE"}"#;
    let token = client
        .parse_token_response(&request, &response(200, body), NOW, None)
        .unwrap();
    assert_eq!(token.scopes, ["ALLOW_GET_BALANCE"]);
    assert!(!token.scopes_inferred);
}

// RFC 6749 §6: a refresh answer without scope keeps the scope granted before.
#[test]
fn a_refresh_without_scope_keeps_the_old_scopes_marked_inferred() {
    let old = parse(
        "factorial",
        Some("user"),
        200,
        r#"{"access_token":"a1","refresh_token":"r1","scope":"read write"}"#,
    )
    .unwrap();
    let fresh = parse("factorial", Some("user"), 200, r#"{"access_token":"a2"}"#)
        .unwrap()
        .refreshed_from(&old);
    assert_eq!(fresh.scopes, ["read", "write"]);
    assert!(fresh.scopes_inferred);
}

// Issue 17 item 8: Billit's guide gives its error states no HTTP status, so
// the envelope is an error whatever the status, a 200 included. Providers
// without that envelope keep their 2xx answers for the caller.
#[test]
fn billit_api_errors_inside_a_success_are_errors() {
    for (code, want) in [
        ("InvalidAccessToken", ErrorCode::InvalidToken),
        ("AccessTokenExpired", ErrorCode::TokenExpired),
        ("NotFound", ErrorCode::HttpError),
    ] {
        let err = api(
            "billit",
            200,
            None,
            &format!(r#"{{"errors":[{{"Code":"{code}"}}]}}"#),
        )
        .unwrap_err();
        assert_eq!(
            (err.code(), err.provider_code(), err.status()),
            (want, Some(code), Some(200))
        );
    }
    assert!(api("billit", 200, None, r#"{"Items":[]}"#).is_ok());
    assert!(api("billit", 200, None, "not json").is_ok());
    assert!(api(
        "payfit",
        200,
        None,
        r#"{"errors":[{"Code":"AccessTokenExpired"}]}"#
    )
    .is_ok());
}
