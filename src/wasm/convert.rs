//! Conversions between JS values and core types, and core errors as JS
//! `Error`s that carry a stable `code`.

use crate::core::error::{Error, ErrorCode};
use crate::core::options;
use js_sys::Reflect;
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::{JsError, JsValue};

/// A JS `Error` named `OAuthError` with `code`, and `providerCode` /
/// `providerMessage` when the provider sent them.
pub fn js_error(error: &Error) -> JsValue {
    let value: JsValue = JsError::new(&error.detail()).into();
    let set = |key: &str, field: Option<&str>| {
        if let Some(field) = field {
            // Setting a property on a fresh Error cannot fail.
            let _ = Reflect::set(&value, &JsValue::from_str(key), &JsValue::from_str(field));
        }
    };
    set("name", Some("OAuthError"));
    set("code", Some(error.code().as_str()));
    set("providerCode", error.provider_code());
    set("providerMessage", error.provider_message());
    set("bodyExcerpt", error.body_excerpt());
    if let Some(status) = error.status() {
        let _ = Reflect::set(&value, &JsValue::from_str("status"), &JsValue::from(status));
    }
    value
}

/// Plain JS object → JSON value → strict core parsing (serde-wasm-bindgen
/// alone reads only the names a struct knows, so typos would pass).
pub fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    let json: serde_json::Value = serde_wasm_bindgen::from_value(value).map_err(|_| {
        js_error(&Error::new(
            ErrorCode::InvalidConfig,
            format!("{what} must be a plain object of JSON values"),
        ))
    })?;
    options::from_json(json, what).map_err(|e| js_error(&e))
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
