//! Conversions between JS values and core types, and core errors as JS
//! `OAuthError`s. Client and start options arrive read and flat from
//! options.js (see `record`); the full build's other values cross as JSON
//! text (`JSON.stringify` in, `JSON.parse` out): the runtime's own JSON is
//! fast, and it keeps every serialisation framework out of the module.

use crate::core::error::Error;
use crate::core::messages::Message;
use crate::core::options::Fields;
use js_sys::JSON;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/wasm/oauth_error.js")]
extern "C" {
    // `catch`: what the error's making throws (a TextDecoder that throws, a
    // hardened realm) is returned as the error, not unwound through the
    // wasm's frames, which leaked their shadow stack until every call trapped
    // (review 110, F1).
    #[wasm_bindgen(js_name = oauthError, catch)]
    fn oauth_error(
        code: &str,
        message: &str,
        status: Option<u16>,
        provider_code: &str,
        provider_message: &str,
        body_excerpt: &str,
        present: u8,
        refresh_and_retry: bool,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = configJson, catch)]
    fn config_json(value: &JsValue) -> Result<Option<String>, JsValue>;
}

/// An `OAuthError` (see oauth_error.js) with `code`, and `status`,
/// `providerCode`, `providerMessage`, `bodyExcerpt` when known, and
/// `refreshAndRetry` when the core classifies the answer so.
pub fn js_error(error: &Error) -> JsValue {
    // Borrowed strings and one bit each for presence: three `Option<String>`
    // copies and their glue cost ~0.4 KB of wasm.
    let (code, message, excerpt) = (
        error.provider_code(),
        error.provider_message(),
        error.body_excerpt(),
    );
    let present = u8::from(code.is_some())
        | u8::from(message.is_some()) << 1
        | u8::from(excerpt.is_some()) << 2;
    oauth_error(
        error.code().as_str(),
        &error.detail(),
        error.status(),
        code.unwrap_or_default(),
        message.unwrap_or_default(),
        excerpt.unwrap_or_default(),
        present,
        error.code().refresh_and_retry(),
    )
    .unwrap_or_else(|thrown| thrown)
}

pub fn throw(error: Error) -> JsValue {
    js_error(&error)
}

/// A count of what an object's slot holds (the client, an exchange, a JWT
/// check), the slot left as it was; `invalid_argument` once released.
pub fn held<T>(slot: &Cell<Option<Rc<T>>>) -> Result<Rc<T>, JsValue> {
    let inner = slot.take();
    let held = inner.clone();
    slot.set(inner);
    held.ok_or_else(|| throw(Message::ClientFreed.error()))
}

/// A text argument. The exports take a `JsValue` and check it here:
/// wasm-bindgen's own `&str` passing assumes a string (an object trapped
/// the module, `{ length: n }` left n bytes allocated).
pub fn string_arg(value: &JsValue, what: &str) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| throw(Message::NotAString.with(&[what])))
}

/// A JS value as JSON text (`undefined` fields vanish, as in JSON.stringify).
pub fn json_text(value: &JsValue, what: &str) -> Result<String, JsValue> {
    let text = JSON::stringify(value).ok().and_then(|s| s.as_string());
    text.ok_or_else(|| js_error(&Message::NotPlainJson.with(&[what])))
}

/// A plain JS object's fields, for strict reading; `undefined`/`null` → `None`.
pub fn fields(value: &JsValue, what: &str) -> Result<Option<Fields>, JsValue> {
    read_fields(value, what, false)
}

/// As `fields`, for configuration (client and verification options): a
/// non-finite number is refused, not read as absent (see `configJson`).
#[cfg(feature = "jwt")]
pub fn config_fields(value: &JsValue, what: &str) -> Result<Option<Fields>, JsValue> {
    read_fields(value, what, true)
}

fn read_fields(value: &JsValue, what: &str, config: bool) -> Result<Option<Fields>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let text = match config {
        true => config_json(value).ok().flatten(),
        false => JSON::stringify(value).ok().and_then(|s| s.as_string()),
    };
    let Some(text) = text else {
        return Err(js_error(&Message::NotPlainJson.with(&[what])));
    };
    Fields::parse(&text, what).map(Some).map_err(throw)
}

/// JSON text the core wrote → a JS value.
pub fn from_json(text: &str) -> Result<JsValue, JsValue> {
    JSON::parse(text)
}

/// Milliseconds since the epoch, as seconds.
pub fn now_secs() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}
