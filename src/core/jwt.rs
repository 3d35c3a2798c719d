//! JWT access tokens (RFC 7519): decoding, choosing the keys that may have
//! signed one, and checking its claims. The signature itself is verified by
//! the runtime's WebCrypto (src/wasm/jwt.rs), so no RSA or elliptic-curve
//! code ships in the module. A provider guide recommends exactly this local
//! validation, but no source we have publishes a provider's key, so keys are
//! the caller's (a JWK, a JWK Set, a JWKS URL, or a PEM public key).

use crate::core::encoding::{b64_decode, b64url_decode};
use crate::core::error::Result;
use crate::core::json::{self, Json};
use crate::core::messages::{refuse, Message};

/// JWTs longer than this are refused before any decoding.
pub const JWT_MAX: usize = 16_384;
/// Default leeway for `exp` and `nbf`, in seconds.
pub const DEFAULT_SKEW: u64 = 60;
/// RFC 8725 §3.5 / NIST: RSA keys shorter than this are refused.
pub const RSA_MIN_BITS: usize = 2048;
/// RFC 7518 §3.2: an HS256 key is at least as long as the hash.
pub const HMAC_MIN_BYTES: usize = 32;

/// A JWS compact serialization (RFC 7515 §7.1) split and decoded; nothing
/// in it is verified yet.
pub struct Decoded {
    /// The header, a JSON object.
    pub header: Json,
    /// The payload, a JSON object.
    pub claims: Json,
    /// `header.payload`, the bytes the signature covers.
    pub signing_input: String,
    /// The signature's bytes, base64url-decoded.
    pub signature: Vec<u8>,
}

/// Splits `header.payload.signature` and decodes all three; header and
/// payload must be JSON objects. Any malformation is `invalid_jwt`.
pub fn decode(token: &str) -> Result<Decoded> {
    if token.len() > JWT_MAX {
        return refuse(Message::JwtTooLong);
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return refuse(Message::JwtNotThreeParts);
    };
    let Some(signature) = b64url_decode(signature) else {
        return refuse(Message::JwtSignatureNotB64url);
    };
    let (Some(header_json), Some(claims)) = (object(header), object(payload)) else {
        return refuse(Message::JwtPartNotObject);
    };
    Ok(Decoded {
        header: header_json,
        claims,
        signing_input: token
            .get(..header.len() + 1 + payload.len())
            .unwrap_or_default()
            .to_owned(),
        signature,
    })
}

fn object(segment: &str) -> Option<Json> {
    let bytes = b64url_decode(segment)?;
    match json::parse(std::str::from_utf8(&bytes).ok()?)? {
        value @ Json::Object(_) => Some(value),
        _ => None,
    }
}

/// The `exp` claim when `token` is a JWT carrying a sane one (read, not
/// verified: used only to know when a token we hold expires).
pub fn expiry(token: &str) -> Option<u64> {
    // Not three parts (most opaque tokens): `decode` would build its error.
    if token.bytes().filter(|&b| b == b'.').count() != 2 {
        return None;
    }
    let decoded = decode(token).ok()?;
    decoded.header.get("alg")?;
    decoded.claims.get("exp")?.as_u64()
}

/// The signature algorithms verified, and the key type each needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alg {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3).
    Rs256,
    /// RSASSA-PSS with SHA-256 (RFC 7518 §3.5).
    Ps256,
    /// ECDSA on P-256 with SHA-256 (RFC 7518 §3.4).
    Es256,
    /// HMAC with SHA-256 (RFC 7518 §3.2).
    Hs256,
}

impl Alg {
    /// Every supported algorithm.
    pub const ALL: [Alg; 4] = [Alg::Rs256, Alg::Ps256, Alg::Es256, Alg::Hs256];
    /// Each algorithm with its JOSE `alg` name (RFC 7518 §3.1).
    pub const NAMES: &'static [(&'static str, Alg)] = &[
        ("RS256", Alg::Rs256),
        ("PS256", Alg::Ps256),
        ("ES256", Alg::Es256),
        ("HS256", Alg::Hs256),
    ];

    /// The JOSE `alg` name, e.g. `RS256`.
    pub fn name(self) -> &'static str {
        Alg::NAMES
            .iter()
            .find(|(_, alg)| *alg == self)
            .map_or("", |(name, _)| name)
    }

    /// The algorithm a JOSE `alg` name denotes (exact case); `None` for any
    /// other, `none` included.
    pub fn from_name(name: &str) -> Option<Alg> {
        Alg::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, alg)| *alg)
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

/// The header's `alg`, if it is allowed. `none` never is. A `crit` header
/// is refused: it names extensions the verifier must understand (RFC 7515
/// §4.1.11), and this library understands none.
pub fn algorithm(decoded: &Decoded, allowed: &[Alg]) -> Result<Alg> {
    if decoded.header.get("crit").is_some() {
        return refuse(Message::JwtCritical);
    }
    let name = decoded
        .header
        .get("alg")
        .and_then(Json::as_str)
        .unwrap_or_default();
    match Alg::from_name(name) {
        Some(alg) if allowed.contains(&alg) => Ok(alg),
        _ => refuse(Message::JwtAlgNotAllowed),
    }
}

/// The JWKs from `set` (a JWK Set or one JWK) that may have signed a token
/// with `alg` and `kid`: same key type (and curve), `use` and `alg` agreeing
/// when present, `kid` equal when the token names one, and strong enough
/// (RSA modulus of 2048 bits or more, HMAC key of 32 bytes or more).
pub fn candidate_keys<'a>(
    set: &'a Json,
    alg: Alg,
    kid: Option<&'a str>,
) -> impl Iterator<Item = &'a Json> {
    let keys = match set.get("keys").and_then(Json::as_array) {
        Some(keys) => keys,
        None => std::slice::from_ref(set),
    };
    keys.iter().filter(move |key| {
        let text = |name: &str| key.get(name).and_then(Json::as_str);
        text("kty") == Some(alg.key_type())
            && (alg != Alg::Es256 || text("crv") == Some("P-256"))
            && text("use").is_none_or(|u| u == "sig")
            && text("alg").is_none_or(|a| a == alg.name())
            && kid.is_none_or(|kid| text("kid") == Some(kid))
            && strong_enough(alg, key)
    })
}

/// The algorithms some key in `set` (a JWK Set or one JWK) can verify: the
/// default when the caller lists none (RFC 8725 §3.1: never more than the
/// keys allow).
pub fn verifiable_algorithms(set: &Json) -> Vec<Alg> {
    Alg::ALL
        .into_iter()
        .filter(|alg| candidate_keys(set, *alg, None).next().is_some())
        .collect()
}

/// RSA keys of `RSA_MIN_BITS` or more, HMAC keys of `HMAC_MIN_BYTES` or more.
fn strong_enough(alg: Alg, key: &Json) -> bool {
    let bytes = |name: &str| key.get(name).and_then(Json::as_str).and_then(b64url_decode);
    match alg {
        Alg::Rs256 | Alg::Ps256 => bytes("n").is_some_and(|n| bit_length(&n) >= RSA_MIN_BITS),
        Alg::Hs256 => bytes("k").is_some_and(|k| k.len() >= HMAC_MIN_BYTES),
        Alg::Es256 => true, // the curve (P-256) fixes the size
    }
}

/// The bit length of a big-endian unsigned integer.
fn bit_length(n: &[u8]) -> usize {
    let significant = n.iter().position(|&b| b != 0).and_then(|at| n.get(at..));
    match significant {
        Some([first, rest @ ..]) => rest.len() * 8 + (8 - first.leading_zeros() as usize),
        _ => 0,
    }
}

/// One DER element at the start of `der`: tag, contents, what follows.
fn der(der: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = der.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = match first {
        0..=0x7f => (usize::from(first), rest),
        0x81..=0x84 => {
            let (bytes, rest) = rest.split_at_checked(usize::from(first & 0x7f))?;
            let len = bytes.iter().fold(0usize, |n, &b| (n << 8) | usize::from(b));
            (len, rest)
        }
        _ => return None,
    };
    let (contents, rest) = rest.split_at_checked(len)?;
    Some((tag, contents, rest))
}

/// OIDs rsaEncryption (1.2.840.113549.1.1.1) and RSASSA-PSS (…1.1.10).
const RSA_OIDS: [&[u8]; 2] = [
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01],
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a],
];

/// An SPKI's RSA modulus bit length; `None` for a key that is not RSA.
/// `Some(0)` for an RSA key whose modulus cannot be read.
fn spki_rsa_bits(spki: &[u8]) -> Option<usize> {
    let (0x30, info, _) = der(spki)? else {
        return None;
    };
    let (0x30, algorithm, rest) = der(info)? else {
        return None;
    };
    let (0x06, oid, _) = der(algorithm)? else {
        return None;
    };
    if !RSA_OIDS.contains(&oid) {
        return None;
    }
    // BIT STRING { 0 unused bits, RSAPublicKey SEQUENCE { INTEGER n, … } }.
    let modulus = || {
        let (0x03, [0, key @ ..], _) = der(rest)? else {
            return None;
        };
        let (0x30, key, _) = der(key)? else {
            return None;
        };
        let (0x02, n, _) = der(key)? else {
            return None;
        };
        Some(bit_length(n))
    };
    Some(modulus().unwrap_or(0))
}

/// A PEM `PUBLIC KEY` (SPKI) as DER bytes.
pub fn pem_spki(pem: &str) -> Result<Vec<u8>> {
    let body = pem
        .trim()
        .strip_prefix("-----BEGIN PUBLIC KEY-----")
        .and_then(|rest| rest.strip_suffix("-----END PUBLIC KEY-----"));
    let Some(body) = body else {
        return refuse(Message::PemNotOneBlock);
    };
    let compact: String = body.split_ascii_whitespace().collect();
    let Some(der) = b64_decode(&compact) else {
        return refuse(Message::PemNotBase64);
    };
    check_spki(&der)?;
    Ok(der)
}

/// Refuses an SPKI (DER) RSA or RSA-PSS key under `RSA_MIN_BITS`; other key
/// types pass (WebCrypto checks the rest on import).
pub fn check_spki(der: &[u8]) -> Result<()> {
    if spki_rsa_bits(der).is_some_and(|bits| bits < RSA_MIN_BITS) {
        return refuse(Message::RsaKeyShort);
    }
    Ok(())
}

/// What the header and claims must say. `Default` is the strict reading:
/// `exp` required, no `aud` accepted, any `typ`.
#[derive(Clone, Debug, Default)]
pub struct Expect {
    /// The `iss` the token must carry (RFC 7519 §4.1.1); `None`: any.
    pub issuer: Option<String>,
    /// When `None`, a token that names any audience is refused (RFC 7519
    /// §4.1.3): it was meant for someone else.
    pub audience: Option<String>,
    /// Scopes the token must grant, in `scope` (space-separated, RFC 8693
    /// §4.2) or `scp` (a list).
    pub scopes: Vec<String>,
    /// Leeway for `exp` and `nbf`, seconds.
    pub skew: u64,
    /// Accept a token without `exp` (one that never expires). Off: RFC 9068
    /// §2.2 makes `exp` mandatory in access tokens.
    pub allow_missing_exp: bool,
    /// The header's `typ` must be this media type (RFC 9068: `at+jwt`),
    /// compared without case and with or without `application/`.
    pub typ: Option<String>,
}

/// The header's checks (`typ`), then the claims' (see `check_claims`).
pub fn check_token(decoded: &Decoded, expect: &Expect, now: u64) -> Result<()> {
    check_header(&decoded.header, expect)?;
    check_claims(&decoded.claims, expect, now)
}

/// `typ`, when `expect` asks for one (RFC 7515 §4.1.9, RFC 9068 §4).
pub fn check_header(header: &Json, expect: &Expect) -> Result<()> {
    let media = |text: &str| {
        let lower = text.to_ascii_lowercase();
        lower
            .strip_prefix("application/")
            .map(str::to_owned)
            .unwrap_or(lower)
    };
    match (&expect.typ, header.get("typ").and_then(Json::as_str)) {
        (Some(wanted), Some(typ)) if media(wanted) == media(typ) => Ok(()),
        (Some(_), _) => refuse(Message::JwtTypMismatch),
        (None, _) => Ok(()),
    }
}

/// RFC 7519 §4.1: `exp` (required unless `allow_missing_exp`), `nbf`
/// against `now` with `skew`; `iss`; `aud` (a string or a list; refused
/// when no audience is expected); and the required scopes (`scope`,
/// space-separated, or `scp`, a list). One chain of checks with one error exit: a branch
/// per check, each with its own `fail`, cost 0.2 KB more of wasm.
pub fn check_claims(claims: &Json, expect: &Expect, now: u64) -> Result<()> {
    let time = |name: &str| match claims.get(name) {
        None | Some(Json::Null) => Some(None),
        Some(value) => value.as_u64().map(Some),
    };
    let (Some(exp), Some(nbf)) = (time("exp"), time("nbf")) else {
        return refuse(Message::JwtTimeNotNumber);
    };
    // A string equal to `wanted`, or a list holding it.
    let names = |name: &str, wanted: &str| match claims.get(name) {
        Some(Json::String(text)) => text == wanted,
        Some(Json::Array(list)) => list.iter().any(|item| item.as_str() == Some(wanted)),
        _ => false,
    };
    let granted = |wanted: &&String| match claims.get("scope") {
        Some(Json::String(scope)) => scope.split(' ').any(|s| s == *wanted),
        _ => names("scp", wanted),
    };
    let issuer = claims.get("iss").and_then(Json::as_str);
    let message = if exp.is_none() && !expect.allow_missing_exp {
        Message::JwtWithoutExp
    } else if exp.is_some_and(|exp| now >= exp.saturating_add(expect.skew)) {
        Message::JwtExpired
    } else if nbf.is_some_and(|nbf| now.saturating_add(expect.skew) < nbf) {
        Message::JwtNotYetValid
    } else if expect
        .issuer
        .as_deref()
        .is_some_and(|iss| issuer != Some(iss))
    {
        Message::JwtIssuerMismatch
    } else if match expect.audience.as_deref() {
        Some(aud) => !names("aud", aud),
        None => !claims.get("aud").is_none_or(Json::is_null),
    } {
        Message::JwtAudienceMismatch
    } else if let Some(missing) = expect.scopes.iter().find(|s| !granted(s)) {
        // The scope names are the caller's own (requiredScopes), not the token's.
        return Err(Message::JwtLacksScope.with(&[missing]));
    } else {
        return Ok(());
    };
    refuse(message)
}
