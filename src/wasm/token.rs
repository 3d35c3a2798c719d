//! `Token` and `Introspection` as JS objects. Times are milliseconds since
//! the epoch, like `Date.now()`. A token object holds its secrets in plain
//! fields so it can be stored; the raw response body is non-enumerable, so
//! `console.log` and `JSON.stringify` leave it out.

use super::convert::{from_js, js_error, to_js};
use crate::core::error::{Error, ErrorCode};
use crate::core::secret::Secret;
use crate::core::token::{Expiry, Introspection, Token};
use js_sys::{Object, Reflect};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use wasm_bindgen::{JsCast, JsValue};

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenJs {
    pub access_token: String,
    #[serde(default = "bearer")]
    pub token_type: String,
    #[serde(default)]
    pub expires_at: Option<f64>,
    #[serde(default)]
    pub never_expires: bool,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub extra: Map<String, Value>,
    #[serde(default)]
    pub obtained_at: Option<f64>,
    #[serde(default)]
    pub company_id: Option<String>,
}

fn bearer() -> String {
    "Bearer".into()
}

pub fn token_to_js(token: &Token) -> Result<JsValue, JsValue> {
    let value = to_js(&TokenJs {
        access_token: token.access_token.expose().into(),
        token_type: token.token_type.clone(),
        expires_at: token.expires_at().map(|s| s as f64 * 1000.0),
        never_expires: token.expiry == Expiry::Never,
        refresh_token: token.refresh_token.as_ref().map(|s| s.expose().into()),
        scopes: token.scopes.clone(),
        extra: token.extra.clone(),
        obtained_at: Some(token.obtained_at as f64 * 1000.0),
        company_id: token.company_id.clone(),
    })?;
    let raw = Object::new();
    let _ = Reflect::set(&raw, &"value".into(), &token.raw.expose().into());
    let _ = Reflect::set(&raw, &"enumerable".into(), &JsValue::FALSE);
    if let Some(object) = value.dyn_ref::<Object>() {
        let _ = Object::define_property(object, &"raw".into(), &raw);
    }
    Ok(value)
}

/// A token object, or a bare string taken as `as_field` (the access or
/// refresh token).
pub fn token_from_js(value: JsValue, bare: Bare) -> Result<Token, JsValue> {
    let js: TokenJs = match value.as_string() {
        Some(text) => TokenJs {
            access_token: if bare == Bare::Access {
                text.clone()
            } else {
                String::new()
            },
            token_type: bearer(),
            expires_at: None,
            never_expires: false,
            refresh_token: (bare == Bare::Refresh).then_some(text),
            scopes: Vec::new(),
            extra: Map::new(),
            obtained_at: None,
            company_id: None,
        },
        None => from_js(value, "token")?,
    };
    let secs = |ms: f64| (ms / 1000.0).max(0.0) as u64;
    Ok(Token {
        access_token: Secret::new(js.access_token),
        token_type: js.token_type,
        expiry: match (js.expires_at, js.never_expires) {
            (Some(ms), _) => Expiry::At(secs(ms)),
            (None, true) => Expiry::Never,
            (None, false) => Expiry::Unknown,
        },
        refresh_token: js.refresh_token.filter(|t| !t.is_empty()).map(Secret::new),
        scopes: js.scopes,
        extra: js.extra,
        raw: Secret::new(""),
        obtained_at: js.obtained_at.map_or(0, secs),
        company_id: js.company_id,
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Bare {
    Access,
    Refresh,
}

pub fn require(secret: &Secret, what: &str) -> Result<(), JsValue> {
    if secret.expose().is_empty() {
        return Err(js_error(&Error::new(
            ErrorCode::InvalidArgument,
            format!("the token has no {what}"),
        )));
    }
    Ok(())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IntrospectionJs<'a> {
    active: bool,
    scopes: &'a [String],
    client_id: Option<&'a str>,
    company_id: Option<&'a str>,
    expires_at: Option<f64>,
    token_type: Option<&'a str>,
    sub: Option<&'a str>,
}

pub fn introspection_to_js(result: &Introspection) -> Result<JsValue, JsValue> {
    to_js(&IntrospectionJs {
        active: result.active,
        scopes: &result.scopes,
        client_id: result.client_id.as_deref(),
        company_id: result.company_id.as_deref(),
        expires_at: result.expires_at.map(|s| s as f64 * 1000.0),
        token_type: result.token_type.as_deref(),
        sub: result.sub.as_deref(),
    })
}
