//! `verifyAccessToken`: a JWT's signature through the runtime's WebCrypto
//! (`crypto.subtle`), then its claims through the core. Keys: a JWK, a JWK
//! Set, a JWKS URL (fetched with the given `fetch`, cached, fetched again
//! once when a token names an unknown `kid`), or a PEM public key.

use super::convert::{fields, from_json, js_error, now_secs};
use super::fetch::Transport;
use crate::core::error::{Error, ErrorCode, Result};
use crate::core::json::{self, Json};
use crate::core::jwt::{self, Alg, Decoded, Expect};
use crate::core::request::HttpRequest;
use js_sys::{Array, Promise, Reflect, Uint8Array, JSON};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{Crypto, CryptoKey};

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

/// A key as `crypto.subtle.importKey` takes it: its format and value.
type KeyInput = (&'static str, JsValue);

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
    future_to_promise(async move {
        let outcome = async {
            let Job {
                keys,
                expect,
                alg,
                decoded,
                mut candidates,
                transport,
            } = setup?;
            if let (true, Keys::Url(url)) = (candidates.is_empty(), &keys) {
                // Not cached, or no key with this kid yet (rotation): fetch once.
                let set = fetch_jwks(url, &transport).await?;
                candidates = jwk_inputs(&set, &decoded, alg);
                remember(url, set);
            }
            if candidates.is_empty() {
                return Err(Error::new(
                    ErrorCode::KeyNotFound,
                    "no key fits the JWT's kid and alg",
                ));
            }
            let single = matches!(keys, Keys::Spki(_));
            let mut verified = false;
            for (format, key) in candidates {
                match verify_with(&decoded, alg, format, key).await {
                    Ok(true) => verified = true,
                    // One PEM key that WebCrypto refuses is a configuration error.
                    Err(e) if single => return Err(e),
                    _ => continue,
                }
                break;
            }
            if !verified {
                return Err(Error::new(
                    ErrorCode::InvalidSignature,
                    "the JWT's signature does not verify",
                ));
            }
            jwt::check_claims(&decoded.claims, &expect, now_secs())?;
            from_json(&decoded.claims.to_text())
                .map_err(|_| Error::new(ErrorCode::InvalidJwt, "claims"))
        };
        outcome.await.map_err(|e| js_error(&e))
    })
}

fn read_options(options: &JsValue) -> Result<(Keys, Expect, Vec<Alg>, u32)> {
    let Some(mut f) = fields(options, "verifyAccessToken options")
        .map_err(|_| bad("options must be an object"))?
    else {
        return Err(bad("options with key or jwks are required"));
    };
    let keys = match (f.json("key"), f.json("jwks")) {
        (Some(Json::String(pem)), None) => Keys::Spki(jwt::pem_spki(&pem)?),
        (Some(jwk @ Json::Object(_)), None) => Keys::Jwk(jwk),
        (None, Some(Json::String(url))) => {
            crate::core::urls::check(&url, "jwks", ErrorCode::InvalidConfig)?;
            Keys::Url(url)
        }
        (None, Some(set @ Json::Object(_))) => Keys::Jwk(set),
        _ => {
            return Err(bad(
                "give exactly one of key (a JWK or PEM) and jwks (a JWK Set or its URL)",
            ))
        }
    };
    let expect = Expect {
        issuer: f.string("issuer"),
        audience: f.string("audience"),
        scopes: f.strings("requiredScopes").unwrap_or_default(),
        skew: f.u64("clockSkew").unwrap_or(jwt::DEFAULT_SKEW),
    };
    let allowed = match f.strings("algorithms") {
        None => Alg::ALL.to_vec(),
        Some(names) => names
            .iter()
            .map(|n| {
                Alg::from_name(n)
                    .ok_or_else(|| bad("algorithms must be among RS256, PS256, ES256, HS256"))
            })
            .collect::<Result<_>>()?,
    };
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
        Keys::Spki(der) => Ok(vec![("spki", Uint8Array::from(der.as_slice()).into())]),
        Keys::Jwk(set) => Ok(jwk_inputs(set, decoded, alg)),
        Keys::Url(url) => Ok(JWKS_CACHE.with(|cache| {
            cache
                .borrow()
                .iter()
                .find(|(cached, _)| cached == url)
                .map(|(_, set)| jwk_inputs(set, decoded, alg))
                .unwrap_or_default()
        })),
    }
}

fn jwk_inputs(set: &Json, decoded: &Decoded, alg: Alg) -> Vec<KeyInput> {
    let kid = decoded.header.get("kid").and_then(Json::as_str);
    jwt::candidate_keys(set, alg, kid)
        .iter()
        .filter_map(|key| JSON::parse(&key.to_text()).ok())
        .map(|jwk| ("jwk", jwk))
        .collect()
}

fn remember(url: &str, set: Json) {
    JWKS_CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        cache.retain(|(cached, _)| cached != url);
        if cache.len() >= JWKS_CACHE_SIZE {
            cache.remove(0);
        }
        cache.push((url.to_owned(), set));
    });
}

async fn fetch_jwks(url: &str, transport: &Transport) -> Result<Json> {
    let request = HttpRequest {
        method: "GET",
        url: url.to_owned(),
        headers: vec![("Accept", "application/json".into())],
        body: None,
        secrets: Vec::new(),
    };
    let response = transport.send(&request).await?;
    match json::parse(&response.body) {
        Some(set) if (200..=299).contains(&response.status) && set.get("keys").is_some() => Ok(set),
        _ => Err(Error::new(
            ErrorCode::InvalidResponse,
            "the JWKS URL did not return a JWK Set",
        )
        .with_http(response.status, None)),
    }
}

/// `crypto.subtle.importKey(format, key, …)` then `verify(…)`, through
/// web-sys's typed bindings: whether the signature verifies; Err when the
/// key cannot be imported.
async fn verify_with(decoded: &Decoded, alg: Alg, format: &str, key: JsValue) -> Result<bool> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into())
        .ok()
        .filter(|c| c.is_object())
        .ok_or_else(|| bad("crypto.subtle is missing"))?;
    let subtle = crypto.unchecked_into::<Crypto>().subtle();
    let (import_params, verify_params) = params(alg);
    let (Ok(import_params), Ok(verify_params)) =
        (JSON::parse(import_params), JSON::parse(verify_params))
    else {
        return Err(bad("WebCrypto parameters"));
    };
    let usages = Array::of1(&"verify".into());
    let import = subtle.import_key_with_object(
        format,
        key.unchecked_ref(),
        import_params.unchecked_ref(),
        false,
        &usages,
    );
    let crypto_key = match import {
        Ok(promise) => JsFuture::from(promise).await,
        Err(e) => Err(e),
    }
    .map_err(|_| bad("the key could not be imported for this algorithm"))?;
    let verify = subtle.verify_with_object_and_u8_array_and_u8_array(
        verify_params.unchecked_ref(),
        crypto_key.unchecked_ref::<CryptoKey>(),
        &decoded.signature,
        decoded.signing_input.as_bytes(),
    );
    let verified = match verify {
        Ok(promise) => JsFuture::from(promise).await.ok(),
        Err(_) => None,
    };
    Ok(verified.and_then(|v| v.as_bool()) == Some(true))
}

/// WebCrypto's import and verify parameters for `alg`, as JSON.
fn params(alg: Alg) -> (&'static str, &'static str) {
    match alg {
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
    }
}

fn bad(message: &str) -> Error {
    Error::new(ErrorCode::InvalidConfig, message)
}
