//! Standalone pieces for callers who build their own flow.

use super::convert::from_json;
use super::convert::{js_error, string_arg};
use crate::core::providers::PROVIDERS;
use crate::core::{pkce, random};
use wasm_bindgen::prelude::*;

/// A fresh PKCE verifier: 32 random bytes, 43 base64url characters.
#[wasm_bindgen(js_name = newPkceVerifier)]
pub fn new_pkce_verifier() -> Result<String, JsValue> {
    let mut bytes = [0u8; 32];
    random::fill(&mut bytes).map_err(|e| js_error(&e))?;
    Ok(pkce::verifier_from_bytes(&bytes).expose().to_owned())
}

/// The S256 challenge of a verifier (RFC 7636 §4.2).
#[wasm_bindgen(js_name = pkceChallenge)]
pub fn pkce_challenge(verifier: JsValue) -> Result<String, JsValue> {
    let verifier = string_arg(&verifier, "the PKCE verifier")?;
    pkce::challenge_s256(&verifier).map_err(|e| js_error(&e))
}

/// `[{ name, environments }]`, default environment first.
#[wasm_bindgen]
pub fn providers() -> Result<JsValue, JsValue> {
    // Names are lowercase ASCII identifiers: nothing to escape.
    let mut text = String::from("[");
    for (name, preset) in PROVIDERS.iter() {
        if text.len() > 1 {
            text.push(',');
        }
        text.push_str("{\"name\":\"");
        text.push_str(name);
        text.push_str("\",\"environments\":[");
        for (i, environment) in preset.environments.iter().enumerate() {
            if i > 0 {
                text.push(',');
            }
            text.push('"');
            text.push_str(environment.name);
            text.push('"');
        }
        text.push_str("]}");
    }
    text.push(']');
    from_json(&text)
}
