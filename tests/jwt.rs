//! JWT access tokens: decoding, algorithm and key choice, claim checks — a
//! table of tokens written by hand (signatures are checked by WebCrypto in
//! the wasm tests).
#![cfg(not(target_arch = "wasm32"))]

use partner_oauth::core::encoding::b64url;
use partner_oauth::core::json;
use partner_oauth::core::jwt::{
    algorithm, candidate_keys, check_claims, decode, pem_spki, Alg, Expect,
};
use partner_oauth::ErrorCode;
use serde_json::{json, Value};

const NOW: u64 = 1_700_000_000;

fn token(header: Value, claims: Value) -> String {
    format!(
        "{}.{}.c2lnbmF0dXJl",
        b64url(header.to_string().as_bytes()),
        b64url(claims.to_string().as_bytes())
    )
}

fn rs256(claims: Value) -> String {
    token(json!({"alg": "RS256", "typ": "JWT", "kid": "k1"}), claims)
}

fn expect() -> Expect {
    Expect {
        issuer: Some("https://www.tropipay.com".into()),
        audience: Some("tropipay-api".into()),
        scopes: vec![],
        skew: 60,
        ..Default::default()
    }
}

/// Decode, then claims: the code of the first failure, or None.
fn claims_result(token: &str, expect: &Expect) -> Option<ErrorCode> {
    let decoded = match decode(token) {
        Ok(d) => d,
        Err(e) => return Some(e.code()),
    };
    check_claims(&decoded.claims, expect, NOW)
        .err()
        .map(|e| e.code())
}

fn good() -> Value {
    json!({"iss": "https://www.tropipay.com", "aud": "tropipay-api", "sub": "m2m", "exp": NOW + 3600, "iat": NOW, "scope": "ALLOW_GET_BALANCE ALLOW_EXTERNAL_CHARGE"})
}

fn with(change: Value) -> Value {
    let mut claims = good();
    for (k, v) in change.as_object().unwrap() {
        if v.is_null() {
            claims.as_object_mut().unwrap().remove(k);
        } else {
            claims[k] = v.clone();
        }
    }
    claims
}

#[test]
fn claim_table() {
    let scoped = |scopes: &[&str]| Expect {
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        ..expect()
    };
    let big = format!("{}.e30.e30", "e".repeat(20_000));
    #[rustfmt::skip]
    let table: Vec<(&str, String, Expect, Option<ErrorCode>)> = vec![
        ("valid", rs256(good()), expect(), None),
        ("expired", rs256(with(json!({"exp": NOW - 61}))), expect(), Some(ErrorCode::TokenExpired)),
        ("expired within skew", rs256(with(json!({"exp": NOW - 59}))), expect(), None),
        ("not yet valid", rs256(with(json!({"nbf": NOW + 61}))), expect(), Some(ErrorCode::TokenNotYetValid)),
        ("nbf within skew", rs256(with(json!({"nbf": NOW + 59}))), expect(), None),
        ("no exp", rs256(with(json!({"exp": null}))), expect(), Some(ErrorCode::InvalidJwt)),
        ("no exp, opted out", rs256(with(json!({"exp": null}))), Expect { allow_missing_exp: true, ..expect() }, None),
        ("exp not a time", rs256(with(json!({"exp": "soon"}))), expect(), Some(ErrorCode::InvalidJwt)),
        ("exp negative", rs256(with(json!({"exp": -1}))), expect(), Some(ErrorCode::InvalidJwt)),
        ("wrong issuer", rs256(with(json!({"iss": "https://evil.example.com"}))), expect(), Some(ErrorCode::IssuerMismatch)),
        ("no issuer", rs256(with(json!({"iss": null}))), expect(), Some(ErrorCode::IssuerMismatch)),
        ("issuer not checked when not expected", rs256(with(json!({"iss": "x"}))), Expect { issuer: None, ..expect() }, None),
        ("wrong audience", rs256(with(json!({"aud": "another-api"}))), expect(), Some(ErrorCode::AudienceMismatch)),
        ("audience list holding ours", rs256(with(json!({"aud": ["a", "tropipay-api"]}))), expect(), None),
        ("audience list without ours", rs256(with(json!({"aud": ["a", "b"]}))), expect(), Some(ErrorCode::AudienceMismatch)),
        ("audience a number", rs256(with(json!({"aud": 7}))), expect(), Some(ErrorCode::AudienceMismatch)),
        ("required scope present", rs256(good()), scoped(&["ALLOW_GET_BALANCE"]), None),
        ("required scope missing", rs256(good()), scoped(&["ALLOW_PAYOUTS"]), Some(ErrorCode::InsufficientScope)),
        ("scp list", rs256(with(json!({"scope": null, "scp": ["read", "write"]}))), scoped(&["write"]), None),
        ("scope prefix is not the scope", rs256(with(json!({"scope": "ALLOW_GET_BALANCE_EXTRA"}))), scoped(&["ALLOW_GET_BALANCE"]), Some(ErrorCode::InsufficientScope)),
        ("bad base64 header", format!("e!!.{}.c2ln", b64url(b"{}")), expect(), Some(ErrorCode::InvalidJwt)),
        ("bad base64 signature", format!("{}.{}.!!", b64url(b"{}"), b64url(b"{}")), expect(), Some(ErrorCode::InvalidJwt)),
        ("two segments", "e30.e30".into(), expect(), Some(ErrorCode::InvalidJwt)),
        ("four segments", "e30.e30.e30.e30".into(), expect(), Some(ErrorCode::InvalidJwt)),
        ("payload an array", format!("{}.{}.c2ln", b64url(br#"{"alg":"RS256"}"#), b64url(b"[1]")), expect(), Some(ErrorCode::InvalidJwt)),
        ("payload duplicate exp", format!("{}.{}.c2ln", b64url(br#"{"alg":"RS256"}"#), b64url(br#"{"exp":1,"exp":99999999999}"#)), expect(), Some(ErrorCode::InvalidJwt)),
        ("oversized", big, expect(), Some(ErrorCode::InputTooLarge)),
    ];
    assert!(table.len() >= 25);
    for (name, token, expect, want) in table {
        assert_eq!(claims_result(&token, &expect), want, "{name}");
    }
}

#[test]
fn algorithms_none_and_unknown_are_refused() {
    let all = Alg::ALL;
    for (header, want) in [
        (json!({"alg": "none"}), None),
        (json!({"alg": "None"}), None),
        (json!({}), None),
        (json!({"alg": "RS512"}), None),
        (json!({"alg": "HS256"}), Some(Alg::Hs256)),
        (json!({"alg": "ES256"}), Some(Alg::Es256)),
    ] {
        let decoded = decode(&token(header.clone(), good())).unwrap();
        assert_eq!(algorithm(&decoded, &all).ok(), want, "{header}");
    }
    let hs = decode(&token(json!({"alg": "HS256"}), good())).unwrap();
    assert_eq!(
        algorithm(&hs, &[Alg::Rs256]).unwrap_err().code(),
        ErrorCode::AlgorithmNotAllowed
    );
}

/// A 2048-bit RSA modulus (base64url), the size keys must have.
fn n2048() -> String {
    b64url(&[0xc5; 256])
}

fn set() -> json::Json {
    let n = n2048();
    json::parse(
        &json!({"keys": [
            {"kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256", "n": n, "e": "AQAB"},
            {"kty": "RSA", "kid": "k2", "n": n, "e": "AQAB"},
            {"kty": "EC", "kid": "e1", "crv": "P-384", "x": "AA", "y": "AA"},
            {"kty": "EC", "kid": "e2", "crv": "P-256", "x": "AA", "y": "AA"},
            {"kty": "RSA", "kid": "enc", "use": "enc", "n": n, "e": "AQAB"},
        ]})
        .to_string(),
    )
    .unwrap()
}

fn kids(alg: Alg, kid: Option<&str>) -> Vec<String> {
    candidate_keys(&set(), alg, kid)
        .map(|k| k.get("kid").and_then(|v| v.as_str()).unwrap().to_owned())
        .collect()
}

#[test]
fn keys_must_fit_the_algorithm() {
    assert_eq!(kids(Alg::Rs256, Some("k1")), ["k1"]);
    assert_eq!(kids(Alg::Rs256, None), ["k1", "k2"]); // not "enc"
    assert_eq!(kids(Alg::Ps256, None), ["k2"]); // k1 is pinned to RS256
    assert_eq!(kids(Alg::Es256, None), ["e2"]); // not the P-384 key
    assert!(kids(Alg::Rs256, Some("rotated-away")).is_empty());
    // Alg confusion: an HS256 token against RSA public keys finds no key.
    assert!(kids(Alg::Hs256, None).is_empty());
    let k = b64url(b"a-shared-secret-of-32-bytes-long");
    let single = json::parse(&json!({"kty": "oct", "k": k}).to_string()).unwrap();
    assert_eq!(candidate_keys(&single, Alg::Hs256, None).count(), 1);
    assert_eq!(candidate_keys(&single, Alg::Rs256, None).count(), 0);
}

#[test]
fn pem_public_keys() {
    let pem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n";
    assert_eq!(pem_spki(pem).unwrap()[..4], [0x30, 0x59, 0x30, 0x13]);
    assert_eq!(
        pem_spki("-----BEGIN PRIVATE KEY-----\nAA\n-----END PRIVATE KEY-----")
            .unwrap_err()
            .code(),
        ErrorCode::InvalidConfig
    );
    assert_eq!(
        pem_spki("-----BEGIN PUBLIC KEY-----\n!!\n-----END PUBLIC KEY-----")
            .unwrap_err()
            .code(),
        ErrorCode::InvalidConfig
    );
}

// Finding 7 (issue 15): RFC 9068's `typ` check, and the explicit opt-out of
// the `exp` requirement, are fields of `Expect`.
#[test]
fn finding_7_typ_is_checked_when_asked_and_exp_can_be_opted_out() {
    use partner_oauth::core::jwt::check_header;
    let at_jwt = Expect {
        typ: Some("at+jwt".into()),
        ..expect()
    };
    for (header, ok) in [
        (json!({"alg": "RS256", "typ": "at+jwt"}), true),
        (json!({"alg": "RS256", "typ": "AT+JWT"}), true),
        (json!({"alg": "RS256", "typ": "application/at+jwt"}), true),
        (json!({"alg": "RS256", "typ": "JWT"}), false),
        (json!({"alg": "RS256", "typ": 1}), false),
        (json!({"alg": "RS256"}), false),
    ] {
        let decoded = decode(&token(header.clone(), good())).unwrap();
        let got = check_header(&decoded.header, &at_jwt)
            .err()
            .map(|e| e.code());
        assert_eq!(got, (!ok).then_some(ErrorCode::InvalidJwt), "{header}");
        // Not asked for: any typ passes.
        assert!(check_header(&decoded.header, &expect()).is_ok(), "{header}");
    }
    let no_exp = rs256(with(json!({"exp": null})));
    assert_eq!(
        claims_result(&no_exp, &expect()),
        Some(ErrorCode::InvalidJwt)
    );
    let opted_out = Expect {
        allow_missing_exp: true,
        ..expect()
    };
    assert_eq!(claims_result(&no_exp, &opted_out), None);
}
