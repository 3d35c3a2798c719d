//! Callback parsing: success, provider errors and every malformed shape.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use partner_oauth::{Client, ErrorCode, StartOptions};
use serde_json::json;

fn started(client: &Client, payload: Option<&str>) -> (String, String) {
    let start = StartOptions {
        payload: payload.map(str::to_owned),
        ..Default::default()
    };
    let s = client.start_authorization(&start, NOW, &entropy()).unwrap();
    (s.state, s.pending.expose().to_owned())
}

fn cb(query: &str) -> String {
    format!("{REDIRECT}?{query}")
}

#[test]
fn success_returns_code_and_payload() {
    let client = client("billit", json!({"stateKey": KEY}));
    let (state, pending) = started(&client, Some("user=42&co=7"));
    let got = client
        .parse_callback(
            &cb(&format!("code=abc123&state={state}")),
            &pending,
            NOW + 5,
        )
        .unwrap();
    assert_eq!(got.code.expose(), "abc123");
    assert_eq!(got.payload.as_deref(), Some("user=42&co=7"));
    assert_eq!(got.state, state);
    assert_eq!(got.iss, None);
    // The nonce 0x00..0x0f, base64url; the flow is refused from 601 s after
    // NOW (ages are whole seconds: it lives all of its 600).
    assert_eq!(got.flow_id, "AAECAwQFBgcICQoLDA0ODw");
    assert_eq!(got.flow_expires_at, NOW + 601);
}

// The Worker marks a flow at its start: the start names it as its callback will.
#[test]
fn a_start_names_its_flow_as_its_callback_does() {
    for key in [Some(KEY), None] {
        let client = match key {
            Some(key) => client("billit", json!({"stateKey": key, "stateMaxAge": 120})),
            None => client("payfit", json!({"stateMaxAge": 120})),
        };
        let started = client
            .start_authorization(&StartOptions::default(), NOW, &entropy())
            .unwrap();
        assert_eq!(started.flow_id, "AAECAwQFBgcICQoLDA0ODw");
        assert_eq!(started.flow_expires_at, NOW + 121);
        let got = client
            .parse_callback(
                &cb(&format!("code=c&state={}", started.state)),
                started.pending.expose(),
                NOW + 5,
            )
            .unwrap();
        assert_eq!(
            (got.flow_id, got.flow_expires_at),
            (started.flow_id, started.flow_expires_at)
        );
    }
}

#[test]
fn query_string_alone_is_accepted() {
    let client = client("payfit", json!({}));
    let (state, pending) = started(&client, None);
    for input in [
        format!("?code=c1&state={state}"),
        format!("code=c1&state={state}"),
    ] {
        assert_eq!(
            client
                .parse_callback(&input, &pending, NOW)
                .unwrap()
                .code
                .expose(),
            "c1"
        );
    }
}

// Cold review 58, finding 1: Node's `req.url` (a path and its query) read
// as a bare query, its first name "/callback?code", and answered
// missing_code for a callback that carries one.
#[test]
fn cold58_finding_1_a_path_and_query_reads_its_query() {
    let client = client("payfit", json!({}));
    let (state, pending) = started(&client, None);
    for input in [
        format!("/callback?code=c1&state={state}"),
        format!("/a/b/callback?code=c1&state={state}#"),
        format!("/callback?state={state}&code=c1"),
    ] {
        let got = client.parse_callback(&input, &pending, NOW);
        assert_eq!(
            got.map(|c| c.code.expose().to_owned()).ok(),
            Some("c1".into()),
            "{input}"
        );
    }
    // Review 59, finding 2: a raw "://" in the query (an unencoded iss) sent
    // a path to the full-URL reader, which refused it.
    let raw_iss = format!("/callback?code=c1&state={state}&next=https://app.example/x");
    let got = client.parse_callback(&raw_iss, &pending, NOW);
    assert_eq!(
        got.map(|c| c.code.expose().to_owned()).ok(),
        Some("c1".into())
    );
    // A path with no query carries nothing to read; one with the answer in
    // its fragment says so, as a URL's does.
    let refused = |input: &str| client.parse_callback(input, &pending, NOW).unwrap_err();
    let none = refused("/callback");
    assert_eq!(none.code(), ErrorCode::InvalidCallback);
    assert_eq!(
        none.message(),
        "the callback carries no code, state or error parameter"
    );
    let fragment = refused(&format!("/callback#code=c1&state={state}"));
    assert_eq!(
        fragment.message(),
        "the response arrived in the URL fragment; this library reads the query (response_mode=query)"
    );
}

// PROVIDERS.md § Billit, "callback" row (partner guide): "the redirectURI
// will contain a query param -> error=access_denied".
#[test]
fn access_denied_without_state() {
    let client = client("billit", json!({}));
    let (_, pending) = started(&client, None);
    let err = client
        .parse_callback(&cb("error=access_denied"), &pending, NOW)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::AccessDenied);
    assert_eq!(err.provider_code(), Some("access_denied"));
}

#[test]
fn access_denied_with_state_and_description() {
    let client = client("factorial", json!({}));
    let (state, pending) = started(&client, None);
    let err = client
        .parse_callback(
            &cb(&format!(
                "error=access_denied&error_description=User+said+no&state={state}"
            )),
            &pending,
            NOW,
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::AccessDenied);
    assert_eq!(err.provider_message(), Some("User said no"));
}

#[test]
fn other_provider_errors_keep_their_code() {
    let client = client("tropipay", json!({}));
    let (state, pending) = started(&client, None);
    let err = client
        .parse_callback(
            &cb(&format!("error=invalid_scope&state={state}")),
            &pending,
            NOW,
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::AuthorizationError);
    assert_eq!(err.provider_code(), Some("invalid_scope"));
}

#[test]
fn error_with_a_foreign_state_is_a_state_mismatch() {
    let client = client("billit", json!({}));
    let (_, pending) = started(&client, None);
    let err = client
        .parse_callback(&cb("error=access_denied&state=forged"), &pending, NOW)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::StateMismatch);
}

#[test]
fn missing_code_is_reported() {
    let client = client("billit", json!({}));
    let (state, pending) = started(&client, None);
    for query in [format!("state={state}"), format!("state={state}&code=")] {
        assert_eq!(
            code_of(client.parse_callback(&cb(&query), &pending, NOW)),
            ErrorCode::MissingCode
        );
    }
}

#[test]
fn missing_or_wrong_state_is_a_mismatch() {
    let client = client("billit", json!({}));
    let (state, pending) = started(&client, None);
    assert_eq!(
        code_of(client.parse_callback(&cb("code=x"), &pending, NOW)),
        ErrorCode::StateMismatch
    );
    let last = if state.ends_with('A') { 'B' } else { 'A' };
    let other = format!("{}{last}", &state[..state.len() - 1]);
    assert_eq!(
        code_of(client.parse_callback(&cb(&format!("code=x&state={other}")), &pending, NOW)),
        ErrorCode::StateMismatch
    );
}

#[test]
fn duplicate_parameters_are_refused() {
    let client = client("billit", json!({}));
    let (state, pending) = started(&client, None);
    for query in [
        format!("code=a&code=b&state={state}"),
        format!("code=a&state={state}&state={state}"),
    ] {
        assert_eq!(
            code_of(client.parse_callback(&cb(&query), &pending, NOW)),
            ErrorCode::InvalidCallback
        );
    }
}

#[test]
fn response_in_the_fragment_is_refused_with_a_hint() {
    let client = client("billit", json!({}));
    let (state, pending) = started(&client, None);
    let err = client
        .parse_callback(&format!("{REDIRECT}#code=a&state={state}"), &pending, NOW)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidCallback);
    assert!(err.message().contains("fragment"));
}

#[test]
fn garbage_is_an_invalid_callback() {
    let client = client("billit", json!({}));
    let (_, pending) = started(&client, None);
    for garbage in [
        "",
        "hello",
        "https://",
        "http://[::1",
        "https://app.example.com/cb",
        "a=b&c=d",
    ] {
        assert_eq!(
            code_of(client.parse_callback(garbage, &pending, NOW)),
            ErrorCode::InvalidCallback,
            "{garbage:?}"
        );
    }
}

#[test]
fn control_characters_are_refused() {
    let client = client("billit", json!({}));
    let (state, pending) = started(&client, None);
    let query = format!("code=a%00b&state={state}");
    assert_eq!(
        code_of(client.parse_callback(&cb(&query), &pending, NOW)),
        ErrorCode::InvalidCallback
    );
}

#[test]
fn oversized_callback_is_refused() {
    let client = client("billit", json!({}));
    let (state, pending) = started(&client, None);
    let query = format!("code={}&state={state}", "a".repeat(20_000));
    assert_eq!(
        code_of(client.parse_callback(&cb(&query), &pending, NOW)),
        ErrorCode::InputTooLarge
    );
}

#[test]
fn expired_flow_is_refused() {
    let client = client("billit", json!({"stateMaxAge": 60}));
    let (state, pending) = started(&client, None);
    let query = format!("code=a&state={state}");
    assert!(client
        .parse_callback(&cb(&query), &pending, NOW + 60)
        .is_ok());
    assert_eq!(
        code_of(client.parse_callback(&cb(&query), &pending, NOW + 61)),
        ErrorCode::StateExpired
    );
}

// Payout guide: the user returns "with `authorization_code` in query parameters".
#[test]
fn payout_accepts_authorization_code_parameter() {
    let client = client("payout", json!({}));
    let (state, pending) = started(&client, None);
    let got = client
        .parse_callback(
            &cb(&format!("authorization_code=pc1&state={state}")),
            &pending,
            NOW,
        )
        .unwrap();
    assert_eq!(got.code.expose(), "pc1");
    // `code` wins when both are present.
    let got = client
        .parse_callback(
            &cb(&format!("authorization_code=pc1&code=c2&state={state}")),
            &pending,
            NOW,
        )
        .unwrap();
    assert_eq!(got.code.expose(), "c2");
}

#[test]
fn other_presets_ignore_authorization_code_parameter() {
    let client = client("billit", json!({}));
    let (state, pending) = started(&client, None);
    let query = format!("authorization_code=pc1&state={state}");
    assert_eq!(
        code_of(client.parse_callback(&cb(&query), &pending, NOW)),
        ErrorCode::MissingCode
    );
}

#[test]
fn tampered_pending_is_refused_when_sealed() {
    let client = client("billit", json!({"stateKey": KEY}));
    let (_, pending) = started(&client, None);
    let (body, seal) = pending.rsplit_once('.').unwrap();
    let altered = format!("{}{}.{seal}", &body[..body.len() - 2], "AA");
    assert_eq!(
        code_of(client.parse_callback(&cb("code=a&state=x"), &altered, NOW)),
        ErrorCode::InvalidPending
    );
    let unsealed = body.to_owned();
    assert_eq!(
        code_of(client.parse_callback(&cb("code=a&state=x"), &unsealed, NOW)),
        ErrorCode::InvalidPending
    );
    // "" is missing_pending (an_empty_pending_value_is_missing_pending).
    for garbage in ["p1.", "p1.!!!", "hello", "p1.e30"] {
        assert_eq!(
            code_of(client.open_pending(garbage)),
            ErrorCode::InvalidPending,
            "{garbage}"
        );
    }
}

#[test]
fn pending_of_another_provider_or_client_is_refused() {
    let billit = client("billit", json!({}));
    let (state, pending) = started(&billit, None);
    let payfit = client("payfit", json!({}));
    let query = format!("code=a&state={state}");
    assert_eq!(
        code_of(payfit.parse_callback(&cb(&query), &pending, NOW)),
        ErrorCode::ProviderMismatch
    );
    let other_client = client("billit", json!({"clientId": "someone-else"}));
    assert_eq!(
        code_of(other_client.parse_callback(&cb(&query), &pending, NOW)),
        ErrorCode::ProviderMismatch
    );
}

// RFC 9207: a configured issuer must match the callback's `iss`.
#[test]
fn issuer_mismatch_is_refused() {
    let client = client(
        "custom",
        json!({"endpoints": {"authorize": "https://as.example.com/a"}, "preset": {"issuer": "https://as.example.com"}}),
    );
    let (state, pending) = started(&client, None);
    let wrong = format!("code=a&state={state}&iss=https%3A%2F%2Fevil.example.com");
    assert_eq!(
        code_of(client.parse_callback(&cb(&wrong), &pending, NOW)),
        ErrorCode::IssuerMismatch
    );
    // Dropping iss is the mix-up attacker's easiest move (RFC 9207 §2.4).
    let dropped = format!("code=a&state={state}");
    assert_eq!(
        code_of(client.parse_callback(&cb(&dropped), &pending, NOW)),
        ErrorCode::IssuerMismatch
    );
    let denied_without_iss = format!("error=access_denied&state={state}");
    assert_eq!(
        code_of(client.parse_callback(&cb(&denied_without_iss), &pending, NOW)),
        ErrorCode::IssuerMismatch
    );
    let right = format!("code=a&state={state}&iss=https%3A%2F%2Fas.example.com");
    assert_eq!(
        client
            .parse_callback(&cb(&right), &pending, NOW)
            .unwrap()
            .iss
            .as_deref(),
        Some("https://as.example.com")
    );
}

#[test]
fn pending_carries_the_verifier_only_when_pkce_is_used() {
    let tropipay = client("tropipay", json!({}));
    let (_, pending) = started(&tropipay, None);
    let verifier = tropipay.open_pending(&pending).unwrap().verifier.unwrap();
    assert_eq!(
        verifier.expose(),
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    );
    let billit = client("billit", json!({}));
    let (_, pending) = started(&billit, None);
    assert!(billit.open_pending(&pending).unwrap().verifier.is_none());
}

// Finding 1 (issue 15): without a stateKey anyone holding the pending value
// can rewrite its payload, so the payload is reported as not verified.
#[test]
fn finding_1_payload_verified_only_when_the_pending_value_is_sealed() {
    let sealed = client("billit", json!({"stateKey": KEY}));
    let (state, pending) = started(&sealed, Some("customer=42"));
    let query = cb(&format!("code=a&state={state}"));
    let got = sealed.parse_callback(&query, &pending, NOW).unwrap();
    assert_eq!(got.payload.as_deref(), Some("customer=42"));
    assert!(got.payload_verified);

    let unsealed = client("billit", json!({}));
    let (state, pending) = started(&unsealed, Some("customer=42"));
    let query = cb(&format!("code=a&state={state}"));
    let got = unsealed.parse_callback(&query, &pending, NOW).unwrap();
    assert_eq!(got.payload.as_deref(), Some("customer=42"));
    assert!(!got.payload_verified);
}

// Issue 17 item 3: nothing stored (another tab or origin, already used) is
// named as such, not as a malformed pending value.
#[test]
fn an_empty_pending_value_is_missing_pending() {
    let client = client("billit", json!({}));
    let (state, _) = started(&client, None);
    let error = client
        .parse_callback(&cb(&format!("code=abc&state={state}")), "", NOW + 5)
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::MissingPending);
    assert!(error.to_string().contains("another tab"), "{error}");
}

// A bare query (`location.search`, or it without its `?`) whose `iss` the
// provider left unencoded (RFC 9207's `iss` is a URL; `:` and `/` need no
// escape in a query) is read as a query: its `://` follows query syntax, so
// it is not a whole URL's. Refused as "not a valid http(s) URL" before.
#[test]
fn a_bare_query_with_an_unencoded_iss_is_read_as_a_query() {
    let client = client(
        "custom",
        json!({"endpoints": {"authorize": "https://as.example.com/a"}, "preset": {"issuer": "https://as.example.com"}}),
    );
    for prefix in ["?", ""] {
        let (state, pending) = started(&client, None);
        for query in [
            format!("{prefix}code=a&state={state}&iss=https://as.example.com"),
            format!("{prefix}iss=https://as.example.com&code=a&state={state}"),
            format!("{prefix}code=a&state={state}&iss=https://as.example.com#x=https://y"),
        ] {
            let got = client.parse_callback(&query, &pending, NOW);
            let got = got.unwrap_or_else(|e| panic!("{query:?}: {e:?}"));
            assert_eq!(
                got.iss.as_deref(),
                Some("https://as.example.com"),
                "{query:?}"
            );
        }
        // Another issuer's, unencoded, is still the mix-up it was.
        let wrong = format!("{prefix}code=a&state={state}&iss=https://evil.example.com");
        assert_eq!(
            code_of(client.parse_callback(&wrong, &pending, NOW)),
            ErrorCode::IssuerMismatch
        );
    }
    // A whole URL is still one: its scheme precedes any query syntax.
    let (_, pending) = started(&client, None);
    for not_url in [
        "https://app.example.com:x/cb?code=a",
        "http://[::1/cb?code=a",
    ] {
        assert_eq!(
            client
                .parse_callback(not_url, &pending, NOW)
                .unwrap_err()
                .message(),
            "the callback is not a valid http(s) URL",
            "{not_url:?}"
        );
    }
}
