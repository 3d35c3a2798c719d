//! `verifyAccessToken`: a JWT's signature through the runtime's WebCrypto
//! (`crypto.subtle`), then its claims through the core. Keys: a JWK, a JWK
//! Set, a JWKS URL (fetched with the given `fetch`, cached, fetched again
//! once when a token names an unknown `kid`), or a PEM public key.

use super::convert::{fields, from_json, js_error, now_secs, spawn};
use super::fetch::Transport;
use crate::core::error::{Error, ErrorCode, Result};
use crate::core::json::{self, Json};
use crate::core::jwt::{self, Alg, Decoded, Expect};
use crate::core::request::HttpRequest;
use crate::core::response::HttpResponse;
use js_sys::{Array, Object, Promise, Reflect, Uint8Array, JSON};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Crypto, CryptoKey, SubtleCrypto};

thread_local! {
    /// JWKS documents by URL: a handful at most, so a list, not a map
    /// (a BTreeMap<String, Json> costs ~2 KB of wasm).
    static JWKS_CACHE: RefCell<Vec<(String, Json)>> = const { RefCell::new(Vec::new()) };
}

/// URLs whose JWKS stay cached; the oldest goes first.
const JWKS_CACHE_SIZE: usize = 8;

enum Keys {
    /// A JWK or a JWK Set.
    Jwk(Json),
    /// DER of a PEM public key.
    Spki(Vec<u8>),
    Url(String),
}

/// A key as `crypto.subtle.importKey` takes it: a JWK object, or SPKI bytes
/// for a PEM key (the format follows from `Keys`).
type KeyInput = JsValue;

/// What the asynchronous part needs, all checked up front.
struct Job {
    keys: Keys,
    expect: Expect,
    alg: Alg,
    decoded: Decoded,
    /// The keys known without fetching.
    candidates: Vec<KeyInput>,
    transport: Transport,
}

/// Verifies `token` and resolves to its claims, or rejects with an
/// OAuthError whose `code` names the check that failed.
#[wasm_bindgen(js_name = verifyAccessToken)]
pub fn verify_access_token(token: String, options: JsValue) -> Promise {
    let fetch = Reflect::get(&options, &"fetch".into()).unwrap_or(JsValue::UNDEFINED);
    // Everything synchronous first: the future keeps only what it awaits.
    let setup = read_options(&options).and_then(|(keys, expect, allowed, timeout)| {
        let decoded = jwt::decode(&token)?;
        let alg = jwt::algorithm(&decoded, &allowed)?;
        Ok(Job {
            candidates: known_keys(&keys, &decoded, alg)?,
            transport: Transport::new(fetch, timeout)?,
            keys,
            expect,
            alg,
            decoded,
        })
    });
    // The future holds one `Job` and awaits promises; each step between
    // awaits is a plain function (a future's size grows with every local
    // it carries across an await).
    spawn(async move {
        let mut job = setup.map_err(|e| js_error(&e))?;
        if let Some(url) = job.jwks_to_fetch() {
            let response = job.transport.send(&jwks_request(url)).await;
            job.take_jwks(response).map_err(|e| js_error(&e))?;
        }
        let keys = JsFuture::from(job.import_keys().map_err(|e| js_error(&e))?).await?;
        let verified = JsFuture::from(job.verify(&keys).map_err(|e| js_error(&e))?).await?;
        job.finish(&verified).map_err(|e| js_error(&e))
    })
}

impl Job {
    /// The JWKS URL, when no key is known yet (not cached, or no key with
    /// this kid: rotation).
    fn jwks_to_fetch(&self) -> Option<String> {
        match &self.keys {
            Keys::Url(url) if self.candidates.is_empty() => Some(url.clone()),
            _ => None,
        }
    }

    fn take_jwks(&mut self, response: Result<HttpResponse>) -> Result<()> {
        let response = response?;
        let Keys::Url(url) = &self.keys else {
            return Ok(());
        };
        match json::parse(&response.body) {
            Some(set) if (200..=299).contains(&response.status) && set.get("keys").is_some() => {
                self.candidates = jwk_inputs(&set, &self.decoded, self.alg);
                remember(url, set);
                Ok(())
            }
            _ => Err(Error::new(
                ErrorCode::InvalidResponse,
                "the JWKS URL did not return a JWK Set",
            )
            .with_http(response.status, None)),
        }
    }

    /// `Promise.allSettled` of `crypto.subtle.importKey` for every candidate.
    fn import_keys(&self) -> Result<Promise> {
        if self.candidates.is_empty() {
            return Err(Error::new(
                ErrorCode::KeyNotFound,
                "no key fits the JWT's kid and alg",
            ));
        }
        let subtle = subtle()?;
        let import_params = webcrypto_params(self.alg, true)?;
        let usages = Array::of1(&"verify".into());
        let imports = Array::new();
        let format = if matches!(self.keys, Keys::Spki(_)) {
            "spki"
        } else {
            "jwk"
        };
        for key in &self.candidates {
            let import = subtle.import_key_with_object(
                format,
                key.unchecked_ref(),
                &import_params,
                false,
                &usages,
            );
            imports.push(&import.unwrap_or_else(|e| Promise::reject(&e)));
        }
        Ok(Promise::all_settled(&imports))
    }

    /// `Promise.allSettled` of `crypto.subtle.verify` with each imported key.
    fn verify(&self, settled_keys: &JsValue) -> Result<Promise> {
        let subtle = subtle()?;
        let verify_params = webcrypto_params(self.alg, false)?;
        let verifies = Array::new();
        for key in Array::from(settled_keys).iter().map(|k| fulfilled(&k)) {
            let Some(key) = key else {
                // One PEM key that WebCrypto refuses is a configuration error.
                if matches!(self.keys, Keys::Spki(_)) {
                    return Err(bad("the key could not be imported for this algorithm"));
                }
                continue;
            };
            let verify = subtle.verify_with_object_and_u8_array_and_u8_array(
                &verify_params,
                key.unchecked_ref::<CryptoKey>(),
                &self.decoded.signature,
                self.decoded.signing_input.as_bytes(),
            );
            verifies.push(&verify.unwrap_or_else(|e| Promise::reject(&e)));
        }
        Ok(Promise::all_settled(&verifies))
    }

    /// The claims, once one key verified the signature and they pass.
    fn finish(&self, settled_verifies: &JsValue) -> Result<JsValue> {
        let verified = Array::from(settled_verifies)
            .iter()
            .any(|v| fulfilled(&v).and_then(|v| v.as_bool()) == Some(true));
        if !verified {
            return Err(Error::new(
                ErrorCode::InvalidSignature,
                "the JWT's signature does not verify",
            ));
        }
        jwt::check_claims(&self.decoded.claims, &self.expect, now_secs())?;
        from_json(&self.decoded.claims.to_text())
            .map_err(|_| Error::new(ErrorCode::InvalidJwt, "claims"))
    }
}

/// A settled promise's value; `None` when it rejected.
fn fulfilled(outcome: &JsValue) -> Option<JsValue> {
    Reflect::get(outcome, &"value".into())
        .ok()
        .filter(|value| !value.is_undefined())
}

fn subtle() -> Result<SubtleCrypto> {
    Reflect::get(&js_sys::global(), &"crypto".into())
        .ok()
        .filter(|c| c.is_object())
        .map(|crypto| crypto.unchecked_into::<Crypto>().subtle())
        .ok_or_else(|| bad("crypto.subtle is missing"))
}

fn read_options(options: &JsValue) -> Result<(Keys, Expect, Vec<Alg>, u32)> {
    let Some(mut f) = fields(options, "verifyAccessToken options")
        .map_err(|_| bad("options must be an object"))?
    else {
        return Err(bad("options must be an object"));
    };
    let keys = match (f.json("key"), f.json("jwks")) {
        (Some(Json::String(pem)), None) => Keys::Spki(jwt::pem_spki(&pem)?),
        (Some(jwk @ Json::Object(_)), None) => Keys::Jwk(jwk),
        (None, Some(Json::String(url))) => {
            crate::core::urls::check(&url, "jwks", ErrorCode::InvalidConfig)?;
            Keys::Url(url)
        }
        (None, Some(set @ Json::Object(_))) => Keys::Jwk(set),
        _ => return Err(bad("give key (JWK or PEM) or jwks (JWK Set or URL)")),
    };
    let expect = Expect {
        issuer: f.string("issuer"),
        audience: f.string("audience"),
        scopes: f.strings("requiredScopes").unwrap_or_default(),
        skew: f.u64("clockSkew").unwrap_or(jwt::DEFAULT_SKEW),
    };
    // Absent: all four. Present: a non-empty list of their names.
    let names = f.strings("algorithms");
    let mut allowed = Vec::new();
    for name in names.iter().flatten() {
        allowed.extend(Alg::from_name(name));
    }
    if names.is_none() {
        allowed = Alg::ALL.to_vec();
    } else if allowed.is_empty() || names.is_some_and(|n| n.len() != allowed.len()) {
        return Err(bad(
            "algorithms must list some of RS256, PS256, ES256, HS256",
        ));
    }
    let timeout = f.u64("timeoutMs").unwrap_or(10_000).clamp(1, 300_000) as u32; // ok: clamped
    f.finish()?;
    Ok((keys, expect, allowed, timeout))
}

/// The keys known without fetching: the given ones, or a cached JWKS's.
fn known_keys(keys: &Keys, decoded: &Decoded, alg: Alg) -> Result<Vec<KeyInput>> {
    match keys {
        // An HS256 token "signed" with a public key: alg confusion.
        Keys::Spki(_) if alg == Alg::Hs256 => Err(Error::new(
            ErrorCode::AlgorithmNotAllowed,
            "HS256 does not fit a public key",
        )),
        Keys::Spki(der) => Ok(vec![Uint8Array::from(der.as_slice()).into()]),
        Keys::Jwk(set) => Ok(jwk_inputs(set, decoded, alg)),
        Keys::Url(url) => Ok(JWKS_CACHE.with_borrow(|cache| {
            cache
                .iter()
                .find(|(cached, _)| cached == url)
                .map(|(_, set)| jwk_inputs(set, decoded, alg))
                .unwrap_or_default()
        })),
    }
}

fn jwk_inputs(set: &Json, decoded: &Decoded, alg: Alg) -> Vec<KeyInput> {
    let kid = decoded.header.get("kid").and_then(Json::as_str);
    let mut inputs = Vec::new();
    for key in jwt::candidate_keys(set, alg, kid) {
        if let Ok(jwk) = JSON::parse(&key.to_text()) {
            inputs.push(jwk);
        }
    }
    inputs
}

fn remember(url: &str, set: Json) {
    JWKS_CACHE.with_borrow_mut(|cache| {
        if let Some(entry) = cache.iter_mut().find(|(cached, _)| cached == url) {
            entry.1 = set;
            return;
        }
        if cache.len() >= JWKS_CACHE_SIZE {
            cache.remove(0);
        }
        cache.push((url.to_owned(), set));
    });
}

fn jwks_request(url: String) -> HttpRequest {
    HttpRequest {
        method: "GET",
        url,
        headers: vec![("Accept", "application/json".into())],
        body: None,
        secrets: Vec::new(),
    }
}

/// WebCrypto's import (or verify) parameters for `alg`.
fn webcrypto_params(alg: Alg, import: bool) -> Result<Object> {
    let (import_params, verify_params) = match alg {
        Alg::Rs256 => (
            r#"{"name":"RSASSA-PKCS1-v1_5","hash":"SHA-256"}"#,
            r#"{"name":"RSASSA-PKCS1-v1_5"}"#,
        ),
        Alg::Ps256 => (
            r#"{"name":"RSA-PSS","hash":"SHA-256"}"#,
            r#"{"name":"RSA-PSS","saltLength":32}"#,
        ),
        Alg::Es256 => (
            r#"{"name":"ECDSA","namedCurve":"P-256"}"#,
            r#"{"name":"ECDSA","hash":"SHA-256"}"#,
        ),
        Alg::Hs256 => (r#"{"name":"HMAC","hash":"SHA-256"}"#, r#"{"name":"HMAC"}"#),
    };
    JSON::parse(if import { import_params } else { verify_params })
        .map(JsValue::unchecked_into)
        .map_err(|_| bad("WebCrypto parameters"))
}

fn bad(message: &str) -> Error {
    Error::new(ErrorCode::InvalidConfig, message)
}
