//! `verifyAccessToken`'s decisions, synchronous: which keys may have signed
//! the JWT, with which WebCrypto parameters, and whether the claims pass.
//! The package's JS layer (io.js) fetches and caches a JWKS and calls
//! `crypto.subtle` in between; no RSA or elliptic-curve code ships here.

use super::convert::{config_fields, from_json, held, now_secs, string_arg, throw};
use crate::core::error::{ErrorCode, Result};
use crate::core::json::{self, Json};
use crate::core::jwt::{self, Alg, Decoded, Expect};
use crate::core::messages::{refuse, Message};
use js_sys::{Array, Uint8Array, JSON};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

enum Keys {
    /// A JWK or a JWK Set.
    Jwk(Json),
    /// DER of a PEM public key.
    Spki(Vec<u8>),
    Url(String),
}

/// One JWT and the options it is verified with, checked up front.
#[wasm_bindgen]
pub struct JwtCheck {
    /// `None` once `release` (io.js' `finally`) dropped it. Each call holds
    /// its own count only while it runs Rust, never across a call into JS:
    /// wasm-bindgen's own `free()` refused an object whose call an app's
    /// import unwound, which masked that call's error and kept the token
    /// and an HMAC key (see Exchange).
    inner: Cell<Option<Rc<Check>>>,
}

struct Check {
    keys: Keys,
    expect: Expect,
    alg: Alg,
    /// `algorithms` as given; absent: what the key material can verify.
    explicit: bool,
    decoded: Decoded,
    timeout_ms: u32,
}

/// The keys `candidates` hands to `importKey`, read before any JS runs.
enum Candidates {
    Der(Vec<u8>),
    Jwks(Vec<String>),
}

/// What became of one candidate key in WebCrypto (`JwtCheck.finish`).
const NOT_IMPORTED: u8 = 0;
const VERIFIED: u8 = 2;

#[wasm_bindgen]
impl JwtCheck {
    /// Reads the options (`fetch` is the JS layer's), decodes the JWT and
    /// picks its algorithm; throws the typed error.
    #[wasm_bindgen(constructor)]
    pub fn new(token: JsValue, options: JsValue) -> std::result::Result<JwtCheck, JsValue> {
        let token = string_arg(&token, "the JWT")?;
        let (keys, expect, allowed, timeout_ms) = read_options(&options).map_err(throw)?;
        let decoded = jwt::decode(&token).map_err(throw)?;
        let explicit = allowed.is_some();
        // Without a list, the key material says which algorithms it can
        // verify (a JWKS URL's, once its set is known: `candidates`).
        let allowed = allowed.unwrap_or_else(|| match &keys {
            // An HS256 token "signed" with a public key: alg confusion.
            Keys::Spki(_) => vec![Alg::Rs256, Alg::Ps256, Alg::Es256],
            Keys::Jwk(set) => jwt::verifiable_algorithms(set),
            Keys::Url(_) => Alg::ALL.to_vec(),
        });
        let alg = jwt::algorithm(&decoded, &allowed).map_err(throw)?;
        if matches!(keys, Keys::Spki(_)) && alg == Alg::Hs256 {
            return Err(throw(Message::Hs256WithPublicKey.error()));
        }
        let check = Check {
            keys,
            expect,
            alg,
            explicit,
            decoded,
            timeout_ms,
        };
        Ok(JwtCheck {
            inner: Cell::new(Some(Rc::new(check))),
        })
    }

    /// Drops the token and the keys now (io.js' `finally`); twice is a
    /// no-op. wasm-bindgen's `free()` goes with the object.
    pub fn release(&self) {
        drop(self.inner.take());
    }

    /// The JWKS URL, when the keys are to be fetched.
    #[wasm_bindgen(getter, js_name = jwksUrl)]
    pub fn jwks_url(&self) -> std::result::Result<Option<String>, JsValue> {
        Ok(match &self.check()?.keys {
            Keys::Url(url) => Some(url.clone()),
            _ => None,
        })
    }

    /// Milliseconds the JWKS fetch may take.
    #[wasm_bindgen(getter, js_name = timeoutMs)]
    pub fn timeout_ms(&self) -> std::result::Result<u32, JsValue> {
        Ok(self.check()?.timeout_ms)
    }

    /// The keys that may have signed the JWT, as `importKey` takes them in
    /// `format`. For a JWKS URL they come from `jwks`, the set's text (none
    /// yet: no keys). Empty: no key has the JWT's `kid`, so a fresher set
    /// may hold it. Throws when the set holds no key for the JWT's `alg`
    /// at all: no fresher set is worth fetching for that.
    pub fn candidates(&self, jwks: Option<String>) -> std::result::Result<Array, JsValue> {
        let candidates = self.check()?.candidates(jwks.as_deref()).map_err(throw)?;
        let inputs = Array::new();
        match candidates {
            Candidates::Der(der) => {
                inputs.push(&Uint8Array::from(der.as_slice()));
            }
            Candidates::Jwks(keys) => {
                for key in keys {
                    if let Ok(jwk) = JSON::parse(&key) {
                        inputs.push(&jwk);
                    }
                }
            }
        }
        Ok(inputs)
    }

    /// Checks that the JWKS URL answered with a JWK Set.
    #[wasm_bindgen(js_name = readJwks)]
    pub fn read_jwks(&self, status: u16, body: &str) -> std::result::Result<(), JsValue> {
        match json::parse(body) {
            Some(set) if (200..=299).contains(&status) && set.get("keys").is_some() => Ok(()),
            _ => Err(throw(Message::JwksNotASet.error().with_http(status, None))),
        }
    }

    /// What WebCrypto is given, in one call (one export, not five):
    /// `[format, importParams, verifyParams, signature, signingInput]`,
    /// `importKey`'s format ("spki" for a PEM key, else "jwk") and algorithm
    /// parameters, `verify`'s parameters, the JWT's signature and the
    /// `header.payload` bytes it covers.
    #[wasm_bindgen(getter)]
    pub fn webcrypto(&self) -> std::result::Result<Array, JsValue> {
        let check = self.check()?;
        let format = match check.keys {
            Keys::Spki(_) => "spki",
            _ => "jwk",
        };
        // Copies of the token's parts, not the count: JS runs next.
        let (alg, decoded) = (check.alg, &check.decoded);
        let (signature, input) = (decoded.signature.clone(), decoded.signing_input.clone());
        drop(check);
        let plan: Array = JSON::parse(webcrypto_params(alg))?.into();
        plan.unshift(&format.into());
        plan.push(&Uint8Array::from(signature.as_slice()));
        plan.push(&Uint8Array::from(input.as_bytes()));
        Ok(plan)
    }

    /// `outcomes` has one entry per candidate: 0 not imported, 1 imported
    /// but not verified, 2 verified. → the claims, or the typed error.
    pub fn finish(&self, outcomes: &[u8]) -> std::result::Result<JsValue, JsValue> {
        // The clock read with no count held (it may be app code that throws).
        self.check()?.verified(outcomes).map_err(throw)?;
        let now = now_secs();
        let claims = self.check()?.claims(now).map_err(throw)?;
        from_json(&claims).map_err(|_| throw(Message::ClaimsUnreadable.error()))
    }
}

impl JwtCheck {
    fn check(&self) -> std::result::Result<Rc<Check>, JsValue> {
        held(&self.inner)
    }
}

impl Check {
    fn candidates(&self, jwks: Option<&str>) -> Result<Candidates> {
        Ok(match &self.keys {
            Keys::Spki(der) => Candidates::Der(der.clone()),
            Keys::Jwk(set) => Candidates::Jwks(self.jwks(set)),
            Keys::Url(_) => match jwks.and_then(json::parse) {
                Some(set) => {
                    let verifiable = jwt::verifiable_algorithms(&set);
                    if !verifiable.contains(&self.alg) {
                        // A set with keys of other types only: the default
                        // allows what they verify, and this alg is not one.
                        return refuse(match self.explicit || verifiable.is_empty() {
                            true => Message::JwksWithoutKeyForAlg,
                            false => Message::JwtAlgFitsNoKey,
                        });
                    }
                    Candidates::Jwks(self.jwks(&set))
                }
                None => Candidates::Jwks(Vec::new()),
            },
        })
    }

    fn jwks(&self, set: &Json) -> Vec<String> {
        let kid = self.decoded.header.get("kid").and_then(Json::as_str);
        jwt::candidate_keys(set, self.alg, kid)
            .map(|key| key.to_text())
            .collect()
    }

    fn verified(&self, outcomes: &[u8]) -> Result<()> {
        if outcomes.is_empty() {
            return refuse(Message::NoKeyFits);
        }
        // One PEM key that WebCrypto refuses is a configuration error.
        if matches!(self.keys, Keys::Spki(_)) && outcomes.contains(&NOT_IMPORTED) {
            return refuse(Message::KeyNotImported);
        }
        if !outcomes.contains(&VERIFIED) {
            return refuse(Message::SignatureNotVerified);
        }
        Ok(())
    }

    /// The claims as JSON text, or the refusal.
    fn claims(&self, now: u64) -> Result<String> {
        jwt::check_token(&self.decoded, &self.expect, now)?;
        Ok(self.decoded.claims.to_text())
    }
}

fn read_options(options: &JsValue) -> Result<(Keys, Expect, Option<Vec<Alg>>, u32)> {
    let Some(mut f) = config_fields(options, "verifyAccessToken options")
        .map_err(|_| Message::OptionsNotObject.with(&["options"]))?
    else {
        return Err(Message::OptionsNotObject.with(&["options"]));
    };
    let keys = match (f.json("key"), f.json("jwks")) {
        (Some(Json::String(pem)), None) => Keys::Spki(jwt::pem_spki(&pem)?),
        (Some(jwk @ Json::Object(_)), None) => Keys::Jwk(jwk),
        (None, Some(Json::String(url))) => {
            crate::core::urls::check(&url, "jwks", ErrorCode::InvalidConfig)?;
            Keys::Url(url)
        }
        (None, Some(set @ Json::Object(_))) => Keys::Jwk(set),
        _ => return refuse(Message::KeysMissing),
    };
    let expect = Expect {
        issuer: f.string("issuer"),
        audience: f.string("audience"),
        scopes: f.strings("requiredScopes").unwrap_or_default(),
        skew: f.u64("clockSkew").unwrap_or(jwt::DEFAULT_SKEW),
        allow_missing_exp: f.bool("allowMissingExp").unwrap_or(false),
        typ: f.string("typ"),
    };
    // Absent: what the keys can verify. Present: a non-empty list of names.
    let allowed = match f.strings("algorithms") {
        None => None,
        Some(names) => {
            let algs: Vec<Alg> = names.iter().filter_map(|n| Alg::from_name(n)).collect();
            if algs.is_empty() || algs.len() != names.len() {
                return refuse(Message::AlgorithmsUnknown);
            }
            Some(algs)
        }
    };
    let timeout = crate::core::client::timeout_ms(f.u64("timeoutMs"))?;
    f.finish()?;
    Ok((keys, expect, allowed, timeout))
}

/// WebCrypto's import and verify parameters for `alg`, as a JSON array.
fn webcrypto_params(alg: Alg) -> &'static str {
    match alg {
        Alg::Rs256 => {
            r#"[{"name":"RSASSA-PKCS1-v1_5","hash":"SHA-256"},{"name":"RSASSA-PKCS1-v1_5"}]"#
        }
        Alg::Ps256 => r#"[{"name":"RSA-PSS","hash":"SHA-256"},{"name":"RSA-PSS","saltLength":32}]"#,
        Alg::Es256 => {
            r#"[{"name":"ECDSA","namedCurve":"P-256"},{"name":"ECDSA","hash":"SHA-256"}]"#
        }
        Alg::Hs256 => r#"[{"name":"HMAC","hash":"SHA-256"},{"name":"HMAC"}]"#,
    }
}
