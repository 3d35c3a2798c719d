//! Conversions between JS values and core types, and core errors as JS
//! `Error`s that carry a stable `code`.

use crate::core::error::{Error, ErrorCode};
use crate::core::options;
use js_sys::Reflect;
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/wasm/oauth_error.js")]
extern "C" {
    #[wasm_bindgen(js_name = oauthError)]
    fn oauth_error(code: &str, message: &str, details: &JsValue) -> JsValue;
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Details<'a> {
    status: Option<u16>,
    provider_code: Option<&'a str>,
    provider_message: Option<&'a str>,
    body_excerpt: Option<&'a str>,
}

/// An `OAuthError` (see oauth_error.js) with `code`, and `status`,
/// `providerCode`, `providerMessage`, `bodyExcerpt` when known.
pub fn js_error(error: &Error) -> JsValue {
    let details = Details {
        status: error.status(),
        provider_code: error.provider_code(),
        provider_message: error.provider_message(),
        body_excerpt: error.body_excerpt(),
    };
    let details = details
        .serialize(&serde_wasm_bindgen::Serializer::new())
        .unwrap_or(JsValue::UNDEFINED);
    oauth_error(error.code().as_str(), &error.detail(), &details)
}

/// Plain JS object → JSON value → strict core parsing (serde-wasm-bindgen
/// alone reads only the names a struct knows, so typos would pass).
pub fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    let mut json: serde_json::Value = serde_wasm_bindgen::from_value(value).map_err(|_| {
        js_error(&Error::new(
            ErrorCode::InvalidConfig,
            format!("{what} must be a plain object of JSON values"),
        ))
    })?;
    drop_absent(&mut json);
    options::from_json(json, what).map_err(|e| js_error(&e))
}

/// `{ scopes: undefined }` means "not given" in JS: drop undefined and null
/// fields so the defaults apply.
fn drop_absent(value: &mut serde_json::Value) {
    if let serde_json::Value::Object(map) = value {
        map.retain(|_, v| !v.is_null());
        map.values_mut().for_each(drop_absent);
    }
}

pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::new()
        .serialize_maps_as_objects(true)
        .serialize_missing_as_null(true);
    value.serialize(&serializer).map_err(|_| {
        js_error(&Error::new(
            ErrorCode::InvalidArgument,
            "a result could not be converted for JS",
        ))
    })
}

/// Milliseconds since the epoch, as seconds.
pub fn now_secs() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

/// True in a browser page (a DOM), false in Workers and Node.
pub fn page_has_dom() -> bool {
    Reflect::get(&js_sys::global(), &JsValue::from_str("document"))
        .map(|doc| !doc.is_undefined() && !doc.is_null())
        .unwrap_or(false)
}
