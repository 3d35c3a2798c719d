//! JWT access tokens (RFC 7519): decoding, choosing the keys that may have
//! signed one, and checking its claims. The signature itself is verified by
//! the runtime's WebCrypto (src/wasm/jwt.rs), so no RSA or elliptic-curve
//! code ships in the module. TropiPay's guide recommends exactly this local
//! validation; no source we have publishes TropiPay's key, so keys are the
//! caller's (a JWK, a JWK Set, a JWKS URL, or a PEM public key).

use crate::core::encoding::b64url_decode;
use crate::core::error::{fail, ErrorCode, Result};
use crate::core::json::{self, Json};
use base64::Engine;

/// JWTs longer than this are refused before any decoding.
pub const JWT_MAX: usize = 16_384;
/// Default leeway for `exp` and `nbf`, in seconds.
pub const DEFAULT_SKEW: u64 = 60;

pub struct Decoded {
    /// The header, a JSON object.
    pub header: Json,
    /// The payload, a JSON object.
    pub claims: Json,
    /// `header.payload`, the bytes the signature covers.
    pub signing_input: String,
    pub signature: Vec<u8>,
}

/// Splits `header.payload.signature` and decodes all three; header and
/// payload must be JSON objects. Any malformation is `invalid_jwt`.
pub fn decode(token: &str) -> Result<Decoded> {
    if token.len() > JWT_MAX {
        return fail(
            ErrorCode::InputTooLarge,
            "the JWT is longer than 16384 characters",
        );
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return invalid("a JWT has exactly three dot-separated parts");
    };
    let Some(signature) = b64url_decode(signature) else {
        return invalid("the JWT signature is not base64url");
    };
    Ok(Decoded {
        header: object(header, "header")?,
        claims: object(payload, "payload")?,
        signing_input: [header, ".", payload].concat(),
        signature,
    })
}

fn object(segment: &str, what: &str) -> Result<Json> {
    let Some(bytes) = b64url_decode(segment) else {
        return invalid(&["the JWT ", what, " is not base64url"].concat());
    };
    match std::str::from_utf8(&bytes).ok().and_then(json::parse) {
        Some(value @ Json::Object(_)) => Ok(value),
        _ => invalid(&["the JWT ", what, " is not a JSON object"].concat()),
    }
}

/// The `exp` claim when `token` is a JWT carrying a sane one (read, not
/// verified: used only to know when a token we hold expires).
pub fn expiry(token: &str) -> Option<u64> {
    let decoded = decode(token).ok()?;
    decoded.header.get("alg")?;
    decoded.claims.get("exp")?.as_u64()
}

/// The signature algorithms verified, and the key type each needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alg {
    Rs256,
    Ps256,
    Es256,
    Hs256,
}

impl Alg {
    pub const ALL: [Alg; 4] = [Alg::Rs256, Alg::Ps256, Alg::Es256, Alg::Hs256];

    pub fn name(self) -> &'static str {
        match self {
            Alg::Rs256 => "RS256",
            Alg::Ps256 => "PS256",
            Alg::Es256 => "ES256",
            Alg::Hs256 => "HS256",
        }
    }

    pub fn from_name(name: &str) -> Option<Alg> {
        Alg::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The JWK `kty` this algorithm's keys have: an RS256 token can never be
    /// checked with an HMAC secret, nor an HS256 token with a public key.
    pub fn key_type(self) -> &'static str {
        match self {
            Alg::Rs256 | Alg::Ps256 => "RSA",
            Alg::Es256 => "EC",
            Alg::Hs256 => "oct",
        }
    }
}

/// The header's `alg`, if it is allowed. `none` never is.
pub fn algorithm(decoded: &Decoded, allowed: &[Alg]) -> Result<Alg> {
    let name = decoded
        .header
        .get("alg")
        .and_then(Json::as_str)
        .unwrap_or_default();
    match Alg::from_name(name) {
        Some(alg) if allowed.contains(&alg) => Ok(alg),
        _ => fail(
            ErrorCode::AlgorithmNotAllowed,
            "the JWT's alg is none, unknown, or not among the allowed algorithms",
        ),
    }
}

/// The JWKs from `set` (a JWK Set or one JWK) that may have signed a token
/// with `alg` and `kid`: same key type (and curve), `use` and `alg` agreeing
/// when present, `kid` equal when the token names one.
pub fn candidate_keys<'a>(set: &'a Json, alg: Alg, kid: Option<&str>) -> Vec<&'a Json> {
    let keys = match set.get("keys").and_then(Json::as_array) {
        Some(keys) => keys,
        None => std::slice::from_ref(set),
    };
    keys.iter()
        .filter(|key| {
            let text = |name: &str| key.get(name).and_then(Json::as_str);
            text("kty") == Some(alg.key_type())
                && (alg != Alg::Es256 || text("crv") == Some("P-256"))
                && text("use").is_none_or(|u| u == "sig")
                && text("alg").is_none_or(|a| a == alg.name())
                && kid.is_none_or(|kid| text("kid") == Some(kid))
        })
        .collect()
}

/// A PEM `PUBLIC KEY` (SPKI) as DER bytes.
pub fn pem_spki(pem: &str) -> Result<Vec<u8>> {
    let body = pem
        .trim()
        .strip_prefix("-----BEGIN PUBLIC KEY-----")
        .and_then(|rest| rest.strip_suffix("-----END PUBLIC KEY-----"));
    let Some(body) = body else {
        return fail(
            ErrorCode::InvalidConfig,
            "a PEM key must be one -----BEGIN PUBLIC KEY----- block",
        );
    };
    let compact: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .or_else(|_| fail(ErrorCode::InvalidConfig, "the PEM key is not base64"))
}

/// What the claims must say.
#[derive(Clone, Debug, Default)]
pub struct Expect {
    pub issuer: Option<String>,
    pub audience: Option<String>,
    pub scopes: Vec<String>,
    /// Leeway for `exp` and `nbf`, seconds.
    pub skew: u64,
}

/// RFC 7519 §4.1: `exp`, `nbf` against `now` with `skew`; `iss`; `aud`
/// (a string or a list); and the required scopes (`scope`, space-separated,
/// or `scp`, a list).
pub fn check_claims(claims: &Json, expect: &Expect, now: u64) -> Result<()> {
    let number = |name: &str| -> Result<Option<u64>> {
        match claims.get(name) {
            None | Some(Json::Null) => Ok(None),
            Some(value) => match value.as_u64() {
                Some(n) => Ok(Some(n)),
                None => invalid(&["the JWT's ", name, " is not a time"].concat()),
            },
        }
    };
    if let Some(exp) = number("exp")? {
        if now >= exp.saturating_add(expect.skew) {
            return fail(ErrorCode::TokenExpired, "the JWT has expired (exp)");
        }
    }
    if let Some(nbf) = number("nbf")? {
        if now.saturating_add(expect.skew) < nbf {
            return fail(
                ErrorCode::TokenNotYetValid,
                "the JWT is not valid yet (nbf)",
            );
        }
    }
    if let Some(issuer) = &expect.issuer {
        if claims.get("iss").and_then(Json::as_str) != Some(issuer) {
            return fail(
                ErrorCode::IssuerMismatch,
                "the JWT's iss is not the expected issuer",
            );
        }
    }
    if let Some(audience) = &expect.audience {
        let matches = match claims.get("aud") {
            Some(Json::String(aud)) => aud == audience,
            Some(Json::Array(list)) => list.iter().any(|a| a.as_str() == Some(audience)),
            _ => false,
        };
        if !matches {
            return fail(
                ErrorCode::AudienceMismatch,
                "the JWT's aud does not name the expected audience",
            );
        }
    }
    if !expect.scopes.is_empty() {
        let granted = |wanted: &str| match (claims.get("scope"), claims.get("scp")) {
            (Some(Json::String(s)), _) => s.split(' ').any(|g| g == wanted),
            (_, Some(Json::Array(list))) => list.iter().any(|g| g.as_str() == Some(wanted)),
            _ => false,
        };
        if let Some(missing) = expect.scopes.iter().find(|s| !granted(s)) {
            let missing: String = missing
                .chars()
                .filter(|c| c.is_ascii_graphic())
                .take(64)
                .collect();
            return fail(
                ErrorCode::InsufficientScope,
                ["the JWT lacks the scope ", &missing].concat(),
            );
        }
    }
    Ok(())
}

fn invalid<T>(message: &str) -> Result<T> {
    fail(ErrorCode::InvalidJwt, message)
}
