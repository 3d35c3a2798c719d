//! `Token` and `Introspection` as JS objects. Times are milliseconds since
//! the epoch, like `Date.now()`. A token object holds its secrets in plain
//! fields so it can be stored; the raw response body is non-enumerable, so
//! `console.log` and `JSON.stringify` leave it out.

use super::convert::{fields, from_json, throw};
use crate::core::json::{Json, ObjectWriter};
use crate::core::messages::Message;
use crate::core::secret::Secret;
use crate::core::token::{Expiry, Introspection, Token};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/wasm/results-full.js")]
extern "C" {
    // One view: a second one's making could run app code while the first
    // is live (review 108 B).
    #[wasm_bindgen(js_name = tokenParts)]
    fn token_parts(
        bytes: &[u8],
        size: u32,
        count: u32,
        expires_at: f64,
        obtained_at: f64,
        flags: u8,
    ) -> JsValue;
}

/// A part that is `null` in the result (results-full.js reads this length so).
const ABSENT: u32 = u32::MAX;

/// The token's texts as one run of UTF-8 and their byte lengths, which
/// results-full.js slices into the result: no JSON text written here and parsed
/// back there (two thirds of a parse's time went to that and `raw`).
pub fn token_to_js(token: &Token) -> Result<JsValue, JsValue> {
    // Rarely any: a provider's other fields, as JSON text ("" for none).
    let mut extra = String::new();
    if !token.extra.is_empty() {
        Json::Object(token.extra.clone()).write(&mut extra);
    }
    let parts = [
        Some(token.access_token.expose()),
        Some(token.token_type.as_str()),
        token.refresh_token.as_ref().map(Secret::expose),
        token.company.as_deref(),
        Some(extra.as_str()),
        Some(token.raw.expose()),
    ]
    .into_iter()
    .chain(token.scopes.iter().map(|s| Some(s.as_str())));
    let mut bytes = Vec::with_capacity(token.raw.expose().len() + 128);
    let mut lengths = Vec::with_capacity(6 + token.scopes.len());
    for part in parts {
        lengths.push(part.map_or(ABSENT, |p| {
            bytes.extend_from_slice(p.as_bytes());
            u32::try_from(p.len()).unwrap_or(ABSENT)
        }));
    }
    // The texts, then their lengths (u32, little-endian) after them.
    let size = bytes.len();
    for length in &lengths {
        bytes.extend_from_slice(&length.to_le_bytes());
    }
    // f64 as JSON.parse read the decimal text: both round to nearest.
    let ms = |s: u64| s.saturating_mul(1000) as f64;
    let flags = u8::from(token.expiry == Expiry::Never) | u8::from(token.scopes_inferred) << 1;
    // The counts as numbers: results-full.js copies the view before
    // anything else and reads no view's `length` (review 107 A).
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(token_parts(
        &bytes,
        count(size),
        count(lengths.len()),
        token.expires_at().map_or(-1.0, ms),
        ms(token.obtained_at),
        flags,
    ))
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
