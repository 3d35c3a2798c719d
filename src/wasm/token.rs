//! `Token` and `Introspection` as JS objects. Times are milliseconds since
//! the epoch, like `Date.now()`. A token object holds its secrets in plain
//! fields so it can be stored; the raw response body is non-enumerable, so
//! `console.log` and `JSON.stringify` leave it out.

use super::convert::{fields, from_json, throw};
use crate::core::json::{Json, ObjectWriter};
use crate::core::messages::Message;
use crate::core::secret::Secret;
use crate::core::token::{Expiry, Introspection, Token};
use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

pub fn token_to_js(token: &Token) -> Result<JsValue, JsValue> {
    let value = from_json(
        &ObjectWriter::default()
            .str("accessToken", token.access_token.expose())
            .str("tokenType", &token.token_type)
            .opt_u64(
                "expiresAt",
                token.expires_at().map(|s| s.saturating_mul(1000)),
            )
            .bool("neverExpires", token.expiry == Expiry::Never)
            .opt_str(
                "refreshToken",
                token.refresh_token.as_ref().map(Secret::expose),
            )
            .str_list("scopes", &token.scopes)
            .bool("scopesInferred", token.scopes_inferred)
            .json("extra", &Json::Object(token.extra.clone()))
            .u64("obtainedAt", token.obtained_at.saturating_mul(1000))
            .opt_str("companyId", token.company.as_deref())
            .finish(),
    )?;
    let raw = Object::new();
    let _ = Reflect::set(&raw, &"value".into(), &token.raw.expose().into());
    if let Some(object) = value.dyn_ref::<Object>() {
        let _ = Object::define_property(object, &"raw".into(), &raw);
    }
    Ok(value)
}

/// What a bare string stands for where a token object is expected.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Bare {
    Access,
    Refresh,
}

/// A token object (fields an app added to it are ignored), or a bare string.
pub fn token_from_js(value: JsValue, bare: Bare) -> Result<Token, JsValue> {
    let mut token = Token {
        access_token: Secret::new(""),
        token_type: "Bearer".into(),
        expiry: Expiry::Unknown,
        refresh_token: None,
        scopes: Vec::new(),
        scopes_inferred: false,
        extra: Vec::new(),
        raw: Secret::new(""),
        obtained_at: 0,
        company: None,
    };
    if let Some(text) = value.as_string() {
        match bare {
            Bare::Access => token.access_token = Secret::new(text),
            Bare::Refresh => token.refresh_token = Some(Secret::new(text)),
        }
        return Ok(token);
    }
    let Some(mut f) = fields(&value, "token")? else {
        return Err(throw(Message::TokenRequired.error()));
    };
    token.access_token = Secret::new(f.string("accessToken").unwrap_or_default());
    token.token_type = f.string("tokenType").unwrap_or(token.token_type);
    token.expiry = match (f.truncated_u64("expiresAt"), f.bool("neverExpires")) {
        (Some(ms), _) => Expiry::At(ms / 1000),
        (None, Some(true)) => Expiry::Never,
        _ => Expiry::Unknown,
    };
    token.refresh_token = f
        .string("refreshToken")
        .filter(|t| !t.is_empty())
        .map(Secret::new);
    token.scopes = f.strings("scopes").unwrap_or_default();
    token.scopes_inferred = f.bool("scopesInferred").unwrap_or(false);
    if let Some(Json::Object(extra)) = f.json("extra") {
        token.extra = extra;
    }
    token.obtained_at = f.truncated_u64("obtainedAt").unwrap_or_default() / 1000;
    token.company = f.string("companyId");
    f.checked().map_err(throw)?;
    Ok(token)
}

pub fn require(secret: &Secret, what: &str) -> Result<(), JsValue> {
    if secret.expose().is_empty() {
        return Err(throw(Message::TokenLacks.with(&[what])));
    }
    Ok(())
}

pub fn introspection_to_js(result: &Introspection) -> Result<JsValue, JsValue> {
    from_json(
        &ObjectWriter::default()
            .bool("active", result.active)
            .str_list("scopes", &result.scopes)
            .opt_str("clientId", result.client_id.as_deref())
            .opt_str("companyId", result.company.as_deref())
            .opt_u64(
                "expiresAt",
                result.expires_at.map(|s| s.saturating_mul(1000)),
            )
            .opt_str("tokenType", result.token_type.as_deref())
            .opt_str("sub", result.sub.as_deref())
            .finish(),
    )
}
