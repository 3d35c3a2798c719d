//! Issue 15 (security review): one test per finding, named after it. Each
//! failed on the code before its fix (see SECURITY.md for the commits).
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use partner_oauth::core::pending::Pending;
use partner_oauth::{Client, ErrorCode, Secret, StartOptions};
use serde_json::json;

fn start(client: &Client) -> (String, String) {
    let s = client
        .start_authorization(&StartOptions::default(), NOW, &entropy())
        .unwrap();
    (s.state, s.pending.expose().to_owned())
}

/// The unsealed pending value `client` made, opened, edited and re-made:
/// what anyone holding it can do when there is no stateKey.
fn edited(client: &Client, edit: impl Fn(&mut Pending)) -> String {
    let (_, pending) = start(client);
    let mut opened = client.open_pending(&pending).unwrap();
    edit(&mut opened);
    opened.seal(None).unwrap().expose().to_owned()
}

// Finding 1: a confidential TropiPay client (PKCE required) exchanged a code
// with no code_verifier once the verifier was cut out of the pending value.
#[test]
fn finding_1_a_pending_value_stripped_of_its_verifier_is_refused() {
    for provider in ["tropipay", "payout"] {
        let client = client(provider, json!({"clientSecret": "SECRET-1"}));
        let stripped = edited(&client, |p| p.verifier = None);
        let pending = client.open_pending(&stripped).unwrap();
        let result = client.code_request(&Secret::new("CODE-1"), &pending);
        assert_eq!(code_of(result), ErrorCode::InvalidPending, "{provider}");
    }
    // A preset without PKCE still exchanges without a verifier.
    let billit = client("billit", json!({"clientSecret": "SECRET-1"}));
    let (_, pending) = start(&billit);
    let pending = billit.open_pending(&pending).unwrap();
    assert!(billit
        .code_request(&Secret::new("CODE-1"), &pending)
        .is_ok());
}

// Finding 1: the redirect_uri sent with the code is the configured one, never
// whatever an edited pending value says (since cold review 58, such a value
// is refused before anything is sent).
#[test]
fn finding_1_the_code_request_sends_the_configured_redirect_uri() {
    let client = client("tropipay", json!({"clientSecret": "SECRET-1"}));
    let forged = edited(&client, |p| {
        p.redirect_uri = "https://evil.example/cb".into();
    });
    let pending = client.open_pending(&forged).unwrap();
    let refused = client
        .code_request(&Secret::new("CODE-1"), &pending)
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::InvalidConfig);
    assert!(!refused.message().contains("evil"), "{}", refused.message());
    let (_, genuine) = start(&client);
    let genuine = client.open_pending(&genuine).unwrap();
    let body = client
        .code_request(&Secret::new("CODE-1"), &genuine)
        .unwrap()
        .body
        .unwrap();
    assert!(
        body.contains(&format!(r#""redirect_uri":"{REDIRECT}""#)),
        "{body}"
    );
}

// Finding 1: a pending value made for the sandbox is refused by a production
// client of the same provider and client id, and the other way round.
#[test]
fn finding_1_a_pending_value_of_another_environment_is_refused() {
    let sandbox = client("billit", json!({"environment": "sandbox"}));
    let production = client("billit", json!({"environment": "production"}));
    let (state, pending) = start(&sandbox);
    let callback = format!("{REDIRECT}?code=a&state={state}");
    assert_eq!(
        code_of(production.parse_callback(&callback, &pending, NOW)),
        ErrorCode::ProviderMismatch
    );
    assert_eq!(
        code_of(production.open_pending(&pending)),
        ErrorCode::ProviderMismatch
    );
    let (state, pending) = start(&production);
    let callback = format!("{REDIRECT}?code=a&state={state}");
    assert_eq!(
        code_of(sandbox.parse_callback(&callback, &pending, NOW)),
        ErrorCode::ProviderMismatch
    );
    assert!(production.parse_callback(&callback, &pending, NOW).is_ok());
}

const NEW_ACCESS: &str = "NEW-ACCESS-5b1e9a";
const NEW_REFRESH: &str = "NEW-REFRESH-77c2d0";

/// A refresh on Billit answered with `status` and `body`.
fn refresh_answer(status: u16, body: &str) -> Result<partner_oauth::Token, partner_oauth::Error> {
    let client = client("billit", json!({"clientSecret": "SECRET-1"}));
    let request = client
        .refresh_request(&Secret::new("OLD-REFRESH-1"), &[])
        .unwrap();
    let response = partner_oauth::HttpResponse {
        status,
        www_authenticate: None,
        body: body.into(),
    };
    client.parse_token_response(&request, &response, NOW, None)
}

/// Every printed form of the error `refresh_answer` gives.
fn printed(status: u16, body: &str) -> String {
    let e = refresh_answer(status, body).unwrap_err();
    format!(
        "{e}\n{e:?}\n{}\n{}",
        e.detail(),
        e.body_excerpt().unwrap_or_default()
    )
}

#[track_caller]
fn assert_no_new_token(status: u16, body: &str) {
    let text = printed(status, body);
    for token in [NEW_ACCESS, NEW_REFRESH] {
        assert!(!text.contains(token), "{status} {body}\nleaked: {text}");
    }
}

// Finding 2: a form-encoded answer kept the new tokens in bodyExcerpt.
#[test]
fn finding_2_form_encoded_token_body_never_reaches_the_excerpt() {
    for status in [200, 400] {
        for body in [
            format!("access_token={NEW_ACCESS}&refresh_token={NEW_REFRESH}&token_type=bearer"),
            format!("error=invalid_grant&Refresh_Token={NEW_REFRESH}&accessToken={NEW_ACCESS}"),
            format!("<p>access_token={NEW_ACCESS};refresh-token: {NEW_REFRESH}</p>"),
        ] {
            assert_no_new_token(status, &body);
        }
    }
    // The error is still there to read, with what is not secret.
    let e = refresh_answer(400, &format!("error=x&access_token={NEW_ACCESS}")).unwrap_err();
    assert!(e.body_excerpt().unwrap().contains("error=x"), "{e:?}");
}

// Finding 2: secret names matched only in exact lower case.
#[test]
fn finding_2_secret_keys_in_any_casing_never_reach_the_excerpt() {
    for status in [200, 400, 500] {
        for body in [
            format!(r#"{{"Access_Token":"{NEW_ACCESS}","Expires_In":"soon"}}"#),
            format!(
                r#"{{"error":"x","accessToken":"{NEW_ACCESS}","RefreshToken":"{NEW_REFRESH}"}}"#
            ),
            format!(
                r#"{{"errors":[{{"Code":"x"}}],"data":{{"ACCESS_TOKEN":"{NEW_ACCESS}","refresh-token":"{NEW_REFRESH}"}}}}"#
            ),
            format!(r#"{{"error":"x","error_description":"got access_token={NEW_ACCESS}"}}"#),
        ] {
            assert_no_new_token(status, &body);
        }
    }
}

// Finding 2: a 2xx answer of the token endpoint is the new token, whatever
// names it uses: no excerpt of it is kept.
#[test]
fn finding_2_no_excerpt_of_a_2xx_token_answer() {
    for body in [
        format!(r#"{{"data":{{"t":"{NEW_ACCESS}"}}}}"#),
        format!(r#"{{"accessToken":"{NEW_ACCESS}","error":null}}"#),
        format!("<html>{NEW_ACCESS}</html>"),
    ] {
        let e = refresh_answer(200, &body).unwrap_err();
        assert_eq!(e.body_excerpt(), None, "{body}");
        assert_no_new_token(200, &body);
    }
    // Non-2xx answers keep their (scrubbed) excerpt.
    let e = refresh_answer(502, "<html>bad gateway</html>").unwrap_err();
    assert_eq!(e.body_excerpt(), Some("<html>bad gateway</html>"));
}

// Finding 2: `"error": null` turned a successful exchange into a failure.
#[test]
fn finding_2_error_null_is_absent() {
    let body = format!(
        r#"{{"access_token":"{NEW_ACCESS}","token_type":"bearer","expires_in":60,"error":null,"errors":null}}"#
    );
    let token = refresh_answer(200, &body).unwrap();
    assert_eq!(token.access_token.expose(), NEW_ACCESS);
}

/// A refresh token long enough that the 256-character cut can fall in it.
const LONG_REFRESH: &str = "RT-8f14e45fceea167a5a36dedd4bea2543-c9f0f895fb98ab9159f51fd0297e236d";

fn refresh_error(description: &str) -> partner_oauth::Error {
    let client = client("billit", json!({"clientSecret": "SECRET-1"}));
    let request = client
        .refresh_request(&Secret::new(LONG_REFRESH), &[])
        .unwrap();
    let body = json!({"error": "invalid_grant", "error_description": description});
    let response = partner_oauth::HttpResponse {
        status: 400,
        www_authenticate: None,
        body: body.to_string(),
    };
    client
        .parse_token_response(&request, &response, NOW, None)
        .unwrap_err()
}

// Finding 4: the provider's text was cut to 256 characters before it was
// scrubbed, so an echoed token across the cut survived as a long prefix.
#[test]
fn finding_4_provider_text_is_scrubbed_before_it_is_cut() {
    let leaked = |e: &partner_oauth::Error| {
        let text = format!("{e}\n{e:?}\n{}", e.detail());
        (12..=LONG_REFRESH.len()).any(|n| text.contains(&LONG_REFRESH[..n]))
    };
    // The echo straddles the cut, at every offset.
    for pad in 200..256 {
        let e = refresh_error(&format!("{} {LONG_REFRESH} is unknown", ".".repeat(pad)));
        assert!(!leaked(&e), "pad {pad}: {e:?}");
        assert!(e.provider_message().unwrap().chars().count() <= 256);
    }
    // A provider that cut the echo itself: a prefix ends its text.
    let e = refresh_error(&format!("unknown token {}", &LONG_REFRESH[..40]));
    assert!(!leaked(&e), "{e:?}");
    // Text that is not a secret is kept.
    let e = refresh_error("the refresh token expired");
    assert_eq!(e.provider_message(), Some("the refresh token expired"));
}

// Finding 5: what HTTP Basic sends is base64(id:secret); a server echoing
// the header leaked it, since only the secret's own forms were scrubbed.
#[test]
fn finding_5_the_basic_credential_is_among_the_scrubbed_forms() {
    use base64::Engine;
    let client = client(
        "custom",
        json!({"clientSecret": "SECRET-1", "endpoints": {"token": "https://as.example.com/token"}}),
    );
    let request = client
        .refresh_request(&Secret::new("REFRESH-1"), &[])
        .unwrap();
    let credential = base64::engine::general_purpose::STANDARD.encode("client-123:SECRET-1");
    let header = format!("Basic {credential}");
    assert_eq!(request.header("Authorization"), Some(header.as_str()));
    assert!(request.secrets().iter().any(|s| s.expose() == header));
    assert!(request.secrets().iter().any(|s| s.expose() == credential));
    for (status, body) in [
        (
            401,
            json!({"error": "invalid_client", "error_description": format!("bad header {header}")})
                .to_string(),
        ),
        (400, format!("<pre>got {credential}</pre>")),
        (500, format!("Authorization: {header}")),
    ] {
        let response = partner_oauth::HttpResponse {
            status,
            www_authenticate: None,
            body,
        };
        let e = client
            .parse_token_response(&request, &response, NOW, None)
            .unwrap_err();
        let text = format!("{e}\n{e:?}\n{}", e.detail());
        assert!(!text.contains(&credential[..12]), "{text}");
    }
}

// Finding 8: with endpoints.api = https://shared.example/partner-api/v1,
// `/../../admin` and `/%2e%2e/admin` reached https://shared.example/admin
// (fetch resolves dot segments) with the access token.
#[test]
fn finding_8_dot_segments_never_leave_the_api_base_path() {
    let client = client(
        "custom",
        json!({"endpoints": {"api": "https://shared.example/partner-api/v1"}}),
    );
    let token = Secret::new("ACCESS-1");
    for path in [
        "/../../admin",
        "/%2e%2e/admin",
        "/%2E%2E/admin",
        "/.%2e/admin",
        "/.%2E/admin",
        "/%2e./admin",
        "/%2E./admin",
        "/%2e%2E/admin",
        "/orders/../../../admin",
        "/orders/..",
        "/..",
        "/..?x=1",
        "/./admin",
        "/%2e/admin",
        "/%2E",
        "/orders/.",
        "/orders/./../x",
    ] {
        assert_eq!(
            code_of(client.api_request(&token, path)),
            ErrorCode::InvalidArgument,
            "{path}"
        );
    }
    // Dots that are not whole segments stay, and so does a query's `..`.
    for path in [
        "/orders/a..b",
        "/.well-known/x",
        "/v1/x.json",
        "/x?from=../y",
        "/...",
        "/%2e%2e%2e",
    ] {
        let request = client.api_request(&token, path).unwrap();
        assert_eq!(
            request.url,
            format!("https://shared.example/partner-api/v1{path}")
        );
    }
}

// Finding 6 (core part): a token the library will send as a header must be
// an RFC 6750 b64token; CR/LF/NUL in one reached `headers.set`, whose
// TypeError printed it whole. Refused when the answer is read.
#[test]
fn finding_6_a_token_outside_b64token_is_refused_when_read() {
    for access in [
        "AT-1\r\nX-Evil: 1",
        "AT-1\n",
        "AT-1\u{0}",
        "AT 1",
        "AT,1",
        "AT=1x",
        "é",
    ] {
        let body = json!({"access_token": access, "token_type": "bearer"}).to_string();
        let e = refresh_answer(200, &body).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidResponse, "{access:?}");
        let printed = format!("{e}\n{e:?}\n{}", e.detail());
        assert!(!printed.contains("AT-1"), "{printed}");
    }
    // Refresh tokens travel in a form body: printable ASCII (RFC 6749 A.17).
    for refresh in ["RT-1\r\n", "RT\u{0}1"] {
        let body = json!({"access_token": "AT-1", "refresh_token": refresh}).to_string();
        assert_eq!(
            code_of(refresh_answer(200, &body)),
            ErrorCode::InvalidResponse
        );
    }
    // Every b64token character, and trailing `=`.
    let fine = "aZ09-._~+/AT==";
    let body = json!({"access_token": fine, "refresh_token": "r t:1"}).to_string();
    assert_eq!(
        refresh_answer(200, &body).unwrap().access_token.expose(),
        fine
    );
    // A token handed in by the caller is checked before it goes in a header.
    let api = client("billit", json!({}));
    assert_eq!(
        code_of(api.api_request(&Secret::new("AT-1\r\nX-Evil: 1"), "/v1/orders")),
        ErrorCode::InvalidArgument
    );
}

mod finding_7 {
    //! Finding 7: JWT claim and key checks weaker than RFC 7519/7515/8725.
    use super::*;
    use partner_oauth::core::encoding::b64url;
    use partner_oauth::core::json;
    use partner_oauth::core::jwt::{self, Alg, Expect};
    use serde_json::Value;

    fn decoded(header: Value, claims: Value) -> jwt::Decoded {
        let token = format!(
            "{}.{}.c2ln",
            b64url(header.to_string().as_bytes()),
            b64url(claims.to_string().as_bytes())
        );
        jwt::decode(&token).unwrap()
    }

    fn claims_code(claims: Value, expect: &Expect) -> Option<ErrorCode> {
        let d = decoded(json!({"alg": "RS256"}), claims);
        jwt::check_claims(&d.claims, expect, NOW)
            .err()
            .map(|e| e.code())
    }

    fn plain() -> Expect {
        Expect {
            skew: 60,
            ..Default::default()
        }
    }

    // RFC 8725 §3.10 / RFC 9068 §2.2: an access token without `exp` never
    // expires; it was accepted.
    #[test]
    fn finding_7_exp_is_required_by_default() {
        assert_eq!(
            claims_code(json!({"sub": "x"}), &plain()),
            Some(ErrorCode::InvalidJwt)
        );
        assert_eq!(
            claims_code(json!({"sub": "x", "exp": null}), &plain()),
            Some(ErrorCode::InvalidJwt)
        );
        assert_eq!(claims_code(json!({"exp": NOW + 60}), &plain()), None);
    }

    // RFC 7519 §4.1.3: a token naming an audience is refused by a party that
    // does not identify itself with it; with no audience configured, any
    // token with `aud` was accepted (a token for another API).
    #[test]
    fn finding_7_a_token_with_aud_is_refused_when_no_audience_is_configured() {
        for aud in [json!("other-api"), json!(["a", "b"]), json!([])] {
            assert_eq!(
                claims_code(json!({"exp": NOW + 60, "aud": aud}), &plain()),
                Some(ErrorCode::AudienceMismatch),
                "{aud}"
            );
        }
        let expect = Expect {
            audience: Some("api".into()),
            ..plain()
        };
        assert_eq!(
            claims_code(json!({"exp": NOW + 60, "aud": "api"}), &expect),
            None
        );
    }

    // RFC 7515 §4.1.11: a `crit` header naming an extension we do not
    // understand makes the JWS invalid; it was ignored.
    #[test]
    fn finding_7_unknown_crit_is_refused() {
        for crit in [json!(["exp"]), json!(["b64"]), json!([]), json!("x")] {
            let d = decoded(
                json!({"alg": "RS256", "crit": crit}),
                json!({"exp": NOW + 60}),
            );
            assert_eq!(
                jwt::algorithm(&d, &Alg::ALL).unwrap_err().code(),
                ErrorCode::InvalidJwt,
                "{crit}"
            );
        }
    }

    /// An RSA JWK whose modulus has `bytes` bytes, the first `first`.
    fn rsa(kid: &str, bytes: usize, first: u8) -> Value {
        let mut n = vec![0xabu8; bytes];
        n[0] = first;
        json!({"kty": "RSA", "kid": kid, "n": b64url(&n), "e": "AQAB"})
    }

    fn kids(set: Value, alg: Alg) -> Vec<String> {
        let set = json::parse(&set.to_string()).unwrap();
        jwt::candidate_keys(&set, alg, None)
            .map(|k| k.get("kid").and_then(|v| v.as_str()).unwrap().to_owned())
            .collect()
    }

    // RFC 8725 §3.5, RFC 7518 §3.3 and §3.2: RSA keys of 2048 bits or more,
    // HMAC keys at least as long as the hash (32 bytes for HS256).
    #[test]
    fn finding_7_weak_keys_are_never_candidates() {
        let set = json!({"keys": [
            rsa("1024", 128, 0xc0),
            rsa("2040", 256, 0x00),
            rsa("2047", 256, 0x7f),
            rsa("2048", 256, 0x80),
            rsa("2048-leading-zero", 257, 0x00),
            rsa("4096", 512, 0xff),
            {"kty": "RSA", "kid": "no-n", "e": "AQAB"},
        ]});
        assert_eq!(kids(set, Alg::Rs256), ["2048", "2048-leading-zero", "4096"]);
        let oct =
            |kid: &str, len: usize| json!({"kty": "oct", "kid": kid, "k": b64url(&vec![7u8; len])});
        let set = json!({"keys": [oct("16", 16), oct("31", 31), oct("32", 32), oct("64", 64)]});
        assert_eq!(kids(set, Alg::Hs256), ["32", "64"]);
    }

    const RSA_1024: &str = r#"-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCtVIVO8sJ0dsE/oD4y0I2AkzEK
7NJdfJ9SiKKzzQwpVylKuvG8wJ4sY85qb7Ug3Ll589FC3femaFPIUOzArYQPs3VE
TvW+PiHA6nz9hoizeNw/A/ojSO9tgZ21aJkFc82xV5bfZ+kD/dn3F8SsbI9ZXD9J
mZp0QSc0plU75l0AHQIDAQAB
-----END PUBLIC KEY-----
"#;
    const RSA_PSS_1024: &str = r#"-----BEGIN PUBLIC KEY-----
MIGdMAsGCSqGSIb3DQEBCgOBjQAwgYkCgYEA6Q/Pb2Tj3v4DEz+gG3qk85QOy8x4
UuVXmK2cOT1nBeftIMbEqeSdL1bDrZ37knwazQ6NujYaYqKt4+TeFCO3inJFUIu5
lcLGiBZQh7L+kzG+3Eq5Wr/4kbgsj2LNSAvHg1unRFKaVMnPEOTZnfJntTlu6qQM
D6bGupogtNt92F0CAwEAAQ==
-----END PUBLIC KEY-----
"#;
    const RSA_2048: &str = r#"-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0TwXZA/hhtYp9J2qNC+b
lhzMB/jp24530jYxpD6zltBCf7ys2hNg0Ydh/CMMpLDl3mbxVNtl6KjtnKHJSffk
rrNReks5Atf1c/luzUEmdwGtOe93E5vpdn0LmDNKWU3ejioNHd15hNVMLDNTbRPx
/Z3BOXQCsqHjezqaKVv3fhuo11uNpbyEdv1F93P0QaesAuYBP93NDdJ2+yoJQPSe
+Sc3ep28aCRidf7wKd5evmP2/B+SZ2k7/essjTHuxSNhAfwQqcGpx8K96zhz8Dni
Oay5mIK6x3Rn3oJ/hKOys527FKzcK4ePNY2nYqxvso5wsPIWG+r8W1I29mI1nBln
ZQIDAQAB
-----END PUBLIC KEY-----
"#;

    #[test]
    fn finding_7_weak_pem_rsa_keys_are_refused() {
        for weak in [RSA_1024, RSA_PSS_1024] {
            assert_eq!(
                jwt::pem_spki(weak).unwrap_err().code(),
                ErrorCode::InvalidConfig
            );
        }
        assert!(jwt::pem_spki(RSA_2048).is_ok());
    }
}

// Review (SECURITY.md, review F7): a secret echoed with lowercase percent
// escapes, or as encodeURIComponent writes it, survived the scrub (only
// form_urlencoded's uppercase form was matched).
#[test]
fn review_f7_percent_encoded_echoes_in_any_spelling_are_scrubbed() {
    let client = client(
        "custom",
        json!({"clientSecret": "SECRET-1", "endpoints": {"token": "https://as.example.com/token"}}),
    );
    let secret = "r/t+k~e*y!(1)'x";
    let request = client.refresh_request(&Secret::new(secret), &[]).unwrap();
    let spellings = [
        "r%2ft%2bk~e*y%21%281%29%27x",     // lowercase escapes, form-style
        "r%2Ft%2Bk~e*y!(1)'x",             // encodeURIComponent
        "r%2ft%2bk~e*y!(1)'x",             // encodeURIComponent, lowercase
        "r%2Ft%2Bk%7Ee%2Ay%21%281%29%27x", // every reserved byte escaped
    ];
    for echoed in spellings {
        let response = partner_oauth::HttpResponse {
            status: 400,
            www_authenticate: None,
            body: format!("<p>the refresh token {echoed} is unknown</p>"),
        };
        let e = client
            .parse_token_response(&request, &response, NOW, None)
            .unwrap_err();
        let text = format!("{e}\n{e:?}\n{}", e.body_excerpt().unwrap_or_default());
        assert!(!text.contains(&echoed[..10]), "{echoed}: {text}");
    }
}

// Review 2 F1 (dialect refactor, 6f0df4a): PROVIDERS.md's rule for every
// preset reads `expires_in` as seconds "or an absolute epoch when it is
// plainly one". Only TropiPay (and custom) still do: for PayFit, Payout,
// Factorial and Billit an epoch `expires_in` is now added to now, so a token
// the provider says expires in an hour reads as valid until ~2080 (before the
// refactor it was read as the epoch time for every provider).
#[test]
fn review2_f1_an_epoch_expires_in_is_an_epoch_for_every_preset() {
    let expires_at = NOW + 3600; // 1_700_003_600: plainly an epoch time
    let body = format!(r#"{{"access_token":"a","expires_in":{expires_at}}}"#);
    let mut wrong = Vec::new();
    for (provider, _) in partner_oauth::core::providers::PROVIDERS {
        let client = client(
            provider,
            json!({"clientSecret": "SECRET-1", "endpoints": {"api": "https://api.example.com"}}),
        );
        let request = client.api_request(&Secret::new("ACCESS-1"), "/x").unwrap();
        let response = partner_oauth::HttpResponse {
            status: 200,
            www_authenticate: None,
            body: body.clone(),
        };
        let kind = (*provider == "factorial").then_some("user");
        let token = client
            .parse_token_response(&request, &response, NOW, kind)
            .unwrap();
        if token.expiry != partner_oauth::Expiry::At(expires_at) {
            wrong.push(format!("{provider}: {:?}", token.expiry));
        }
    }
    assert!(wrong.is_empty(), "read as seconds from now: {wrong:?}");
}

// Review 2 F2 (low; the check predates today's encoder): extra authorize
// parameters are checked against the reserved names byte for byte only. A
// case variant (`Redirect_URI`) goes out beside the library's own, which a
// server that reads names case-insensitively (ASP.NET, as Billit's
// /Account/Logon suggests) takes as a second redirect_uri; and a parameter
// the preset or the `authorizeParams` option already sends is sent twice
// (RFC 6749 §3.1: "MUST NOT be included more than once"), or another token
// kind's parameter contradicts the kind the pending value records.
#[test]
fn review2_f2_an_extra_param_never_repeats_a_parameter_the_library_sends() {
    let params = |name: &str| StartOptions {
        params: vec![(name.to_owned(), "https://evil.example/cb".to_owned())],
        ..StartOptions::default()
    };
    let billit = client("billit", json!({}));
    for name in ["Redirect_URI", "STATE", "Client_Id"] {
        let result = billit.start_authorization(&params(name), NOW, &entropy());
        assert_eq!(
            result.as_ref().err().map(|e| e.code()),
            Some(ErrorCode::InvalidArgument),
            "{name}: {:?}",
            result.map(|s| s.url)
        );
    }
    let custom = client(
        "custom",
        json!({"endpoints": {"authorize": "https://as.example.com/authorize"},
               "preset": {"authorizeParams": {"audience": "https://api.example.com"}}}),
    );
    let result = custom.start_authorization(&params("audience"), NOW, &entropy());
    assert_eq!(
        result.as_ref().err().map(|e| e.code()),
        Some(ErrorCode::InvalidArgument),
        "{:?}",
        result.map(|s| s.url)
    );
    // A Factorial "user" flow that asks for a company token: the pending
    // value says "user", so the never-expiring company token would be read
    // with a user token's one-hour default.
    let factorial = client("factorial", json!({}));
    let user_asking_for_company = StartOptions {
        token_kind: Some("user".into()),
        params: vec![("resource_owner_type".into(), "company".into())],
        ..StartOptions::default()
    };
    let result = factorial.start_authorization(&user_asking_for_company, NOW, &entropy());
    assert_eq!(
        result.as_ref().err().map(|e| e.code()),
        Some(ErrorCode::InvalidArgument),
        "{:?}",
        result.map(|s| s.url)
    );
}

// Review 66: `flow_expires_at` said a flow ended at `created + max_age`, but
// the age check refused it only a second later (whole seconds, `>`), so a
// store that forgot a spent flow at `flowExpiresAt` left up to 999 ms in
// which its callback was accepted again. The flow is now refused from
// `flow_expires_at` on, and accepted until just before it.
#[test]
fn review66_a_flow_is_refused_from_its_flow_expires_at() {
    for (provider, max_age) in [("billit", 600), ("payfit", 1), ("factorial", 86_400)] {
        let client = client(provider, json!({"stateMaxAge": max_age}));
        let started = client
            .start_authorization(&StartOptions::default(), NOW, &entropy())
            .unwrap();
        let url = format!("{REDIRECT}?code=c&state={}", started.state);
        let at = |now: u64| client.parse_callback(&url, started.pending.expose(), now);
        let last = started.flow_expires_at - 1;
        assert!(
            last >= NOW + max_age,
            "{provider}: a flow lives its whole stateMaxAge"
        );
        let got = at(last).unwrap();
        assert_eq!(got.flow_expires_at, started.flow_expires_at, "{provider}");
        assert_eq!(
            code_of(at(started.flow_expires_at)),
            ErrorCode::StateExpired,
            "{provider}"
        );
    }
}

// Review 68, I1: after review 66's fix the oracle (today's callback reading,
// kept to compare with) still aged flows with `>`, so at a saturated clock it
// accepted a callback at its own `flow_expires_at`, and the two disagreed.
#[test]
fn review68_i1_core_and_oracle_agree_when_time_saturates() {
    use partner_oauth::core::oracle;
    let client = client("billit", json!({"stateMaxAge": 86_400}));
    for created in [u64::MAX, u64::MAX - 86_400, u64::MAX - 86_401, NOW] {
        let started = client
            .start_authorization(&StartOptions::default(), created, &entropy())
            .unwrap();
        let url = format!("{REDIRECT}?code=c&state={}", started.state);
        for now in [
            u64::MAX,
            started.flow_expires_at,
            started.flow_expires_at - 1,
        ] {
            let ours = client.parse_callback(&url, started.pending.expose(), now);
            let theirs = oracle::parse_callback(&client, &url, started.pending.expose(), now);
            assert_eq!(
                ours.as_ref()
                    .map(|c| c.flow_expires_at)
                    .map_err(|e| e.code()),
                theirs
                    .as_ref()
                    .map(|c| c.flow_expires_at)
                    .map_err(|e| e.code()),
                "created {created}, now {now}"
            );
        }
    }
}

// Review 74, finding 6: `preset.authorizeParams` was checked against
// nothing, so a name the library sends itself (a token kind's
// `resource_owner_type`, `scope`, `response_type`) or one given twice in
// two casings went out twice (RFC 6749 §3.1: never), e.g. Factorial's
// guide's `resource_owner_type=company` copied into authorizeParams.
#[test]
fn review74_authorize_params_may_not_repeat_a_name_the_library_sends() {
    for (provider, params) in [
        ("factorial", json!({"resource_owner_type": "company"})),
        ("custom", json!({"scope": "openid"})),
        ("custom", json!({"Response_Type": "code"})),
        ("payfit", json!({"state": "x"})),
        ("custom", json!({"prompt": "login", "Prompt": "none"})),
    ] {
        let result = try_client(options(
            provider,
            json!({"preset": {"authorizeParams": params}}),
        ));
        let error = result.expect_err(&format!("{provider} {params}"));
        assert_eq!(
            error.code(),
            ErrorCode::InvalidConfig,
            "{provider} {params}"
        );
        let name = params
            .as_object()
            .unwrap()
            .keys()
            .next_back()
            .unwrap()
            .clone();
        assert!(error.message().contains(&name), "{}", error.message());
    }
    // Names the library does not send stay allowed, and are sent once.
    let client = client(
        "payfit",
        json!({"preset": {"authorizeParams": {"prompt": "login"}}}),
    );
    let started = client
        .start_authorization(&StartOptions::default(), NOW, &entropy())
        .unwrap();
    assert_eq!(started.url.matches("prompt=login").count(), 1);
}
