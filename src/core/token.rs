//! One token model (RFC 6749 §5.1) and introspection results (RFC 7662
//! §2.2), read in the dialect of the preset that asked for them.

use crate::core::dialect::{Dialect, ExpiresIn, Object, ScopeList, EPOCH_THRESHOLD};
use crate::core::error::Result;
use crate::core::json::Json;
use crate::core::jwt;
use crate::core::messages::{refuse, Message};
use crate::core::secret::Secret;
use std::fmt;

/// The year 5138: anything later is garbage.
const EXPIRY_MAX: u64 = 100_000_000_000;

/// When an access token expires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expiry {
    /// Seconds since the epoch.
    At(u64),
    /// The preset or token kind says it never expires.
    Never,
    /// Neither the response nor the preset says.
    Unknown,
}

/// A token response (RFC 6749 §5.1), read as the preset's dialect says.
#[derive(Clone)]
pub struct Token {
    /// `access_token`.
    pub access_token: Secret,
    /// `Bearer` for any casing of it (RFC 6749 §5.1: case-insensitive).
    pub token_type: String,
    /// From `expires_in`, or the preset's default lifetime.
    pub expiry: Expiry,
    /// `refresh_token`, when issued (RFC 6749 §6).
    pub refresh_token: Option<Secret>,
    /// Granted scopes, split as the dialect says; empty when not stated.
    pub scopes: Vec<String>,
    /// The answer stated no scope: `scopes` are the ones requested (RFC 6749
    /// §5.1), or for a refresh the ones granted before (§6).
    pub scopes_inferred: bool,
    /// The provider's other fields (e.g. a `created_at`).
    pub extra: Vec<(String, Json)>,
    /// The whole response body.
    pub raw: Secret,
    /// When the response was read, in seconds since the epoch.
    pub obtained_at: u64,
    /// The company this token belongs to, from an introspection whose
    /// dialect names one (`Dialect::company_field`).
    pub company: Option<String>,
}

/// What the token's lifetime defaults to when the response does not say.
#[derive(Clone, Copy, Debug)]
pub struct Lifetime {
    /// Tokens never expire unless the response says otherwise.
    pub never_expires: bool,
    /// Seconds assumed when the response gives no `expires_in`.
    pub default_secs: Option<u64>,
}

impl Token {
    /// The expiry time in seconds since the epoch, when one is known.
    pub fn expires_at(&self) -> Option<u64> {
        match self.expiry {
            Expiry::At(at) => Some(at),
            _ => None,
        }
    }

    /// Expired, or expiring within `skew` seconds. Never and Unknown are not.
    pub fn is_expired(&self, now: u64, skew: u64) -> bool {
        matches!(self.expiry, Expiry::At(at) if now.saturating_add(skew) >= at)
    }

    /// The result of a refresh: a response without a refresh token keeps the
    /// old one (RFC 6749 §6); one with a new one rotates it.
    pub fn refreshed_from(mut self, old: &Token) -> Token {
        if self.refresh_token.is_none() {
            self.refresh_token = old.refresh_token.clone();
        }
        // RFC 6749 §6: no scope in the answer, the scope granted before.
        if self.scopes.is_empty() && !self.scopes_inferred && !old.scopes.is_empty() {
            self.scopes = old.scopes.clone();
            self.scopes_inferred = true;
        }
        if self.company.is_none() {
            self.company = old.company.clone();
        }
        self
    }

    /// Parses a successful token response body (already a JSON object),
    /// read in `dialect`.
    pub fn from_response(
        body: &Object,
        raw: &str,
        now: u64,
        lifetime: Lifetime,
        dialect: &Dialect,
    ) -> Result<Token> {
        let field = |name: &str| dialect.field(body, name);
        let access_token = match field("access_token") {
            // It goes in an Authorization header: CR/LF there would split it,
            // and the runtime's error would print the token whole.
            Some(Json::String(token)) if is_b64token(token) => token.clone(),
            Some(Json::String(token)) if !token.is_empty() => {
                return refuse(Message::AccessTokenNotB64token)
            }
            // No body text in the message (a key can hold a secret, as
            // fuzzing showed): the scrubbed excerpt shows the body.
            _ => {
                return match dialect.not_a_token {
                    Some(known) if field(known.field).is_some() => {
                        Err(Message::AnswerOfAnotherKind.with(&[known.message]))
                    }
                    _ => refuse(Message::NoAccessToken),
                };
            }
        };
        let token_type = match field("token_type") {
            None | Some(Json::Null) => "Bearer".to_owned(),
            Some(Json::String(t)) if t.eq_ignore_ascii_case("bearer") => "Bearer".to_owned(),
            Some(Json::String(t)) => t.clone(),
            Some(_) => return not_a_string("token_type"),
        };
        let refresh_token = match field("refresh_token") {
            None | Some(Json::Null) => None,
            Some(Json::String(t)) if t.is_empty() => None,
            // RFC 6749 A.17: printable ASCII.
            Some(Json::String(t)) if t.bytes().all(|b| (0x20..0x7f).contains(&b)) => {
                Some(Secret::new(t.clone()))
            }
            Some(Json::String(_)) => return refuse(Message::RefreshTokenNotPrintable),
            Some(_) => return not_a_string("refresh_token"),
        };
        let expiry = match jwt::expiry(&access_token) {
            Some(exp) => Expiry::At(exp),
            None => match field("expires_in") {
                None | Some(Json::Null) => default_expiry(now, lifetime),
                Some(value) => expires_in(value, now, dialect.expires_in)?,
            },
        };
        let extra = body
            .iter()
            .filter(|(k, _)| !STANDARD.iter().any(|s| dialect.names(k, s)))
            .cloned()
            .collect();
        Ok(Token {
            access_token: Secret::new(access_token),
            token_type,
            expiry,
            refresh_token,
            scopes: scopes(field("scope"), dialect.scopes)?,
            scopes_inferred: false,
            extra,
            raw: Secret::new(raw),
            obtained_at: now,
            company: None,
        })
    }
}

const STANDARD: [&str; 5] = [
    "access_token",
    "token_type",
    "expires_in",
    "refresh_token",
    "scope",
];

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let extra: Vec<&String> = self.extra.iter().map(|(k, _)| k).collect();
        f.debug_struct("Token")
            .field("access_token", &self.access_token)
            .field("token_type", &self.token_type)
            .field("expiry", &self.expiry)
            .field("refresh_token", &self.refresh_token)
            .field("scopes", &self.scopes)
            .field("extra_fields", &extra)
            .field("raw", &self.raw)
            .field("obtained_at", &self.obtained_at)
            .field("company", &self.company)
            .finish()
    }
}

/// RFC 6750 §2.1 `b64token`: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" /
/// "+" / "/" ) *"="`, what a Bearer credential may hold.
pub fn is_b64token(token: &str) -> bool {
    let body = token.trim_end_matches('=');
    !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b))
}

fn default_expiry(now: u64, lifetime: Lifetime) -> Expiry {
    match (lifetime.never_expires, lifetime.default_secs) {
        (true, _) => Expiry::Never,
        (false, Some(secs)) => Expiry::At(now.saturating_add(secs)),
        (false, None) => Expiry::Unknown,
    }
}

/// Seconds from now, or (where the dialect says) an absolute epoch time
/// when it plainly is one.
fn expires_in(value: &Json, now: u64, meaning: ExpiresIn) -> Result<Expiry> {
    let number = match value {
        Json::Number(_) => value.as_u64(),
        Json::String(s) => crate::core::json::parse(s.trim())
            .filter(|n| matches!(n, Json::Number(_)))
            .and_then(|n| n.as_u64()),
        _ => None,
    };
    let at = match (number, meaning) {
        (Some(n), ExpiresIn::SecondsOrEpoch) if n >= EPOCH_THRESHOLD => Some(n),
        (Some(n), _) => now.checked_add(n),
        (None, _) => None,
    };
    match at {
        Some(at) if at < EXPIRY_MAX => Ok(Expiry::At(at)),
        _ => refuse(Message::ExpiresInOutOfRange),
    }
}

/// Space-separated (RFC 6749 §3.3), commas too where the dialect says, or
/// a JSON list.
fn scopes(value: Option<&Json>, list: ScopeList) -> Result<Vec<String>> {
    let commas = list == ScopeList::SpacesOrCommas;
    match value {
        None | Some(Json::Null) => Ok(Vec::new()),
        Some(Json::String(s)) => Ok(s
            .split(|c: char| (commas && c == ',') || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()),
        Some(Json::Array(items)) => items
            .iter()
            .map(|v| match v {
                Json::String(s) => Ok(s.clone()),
                _ => refuse(Message::ScopeListNonString),
            })
            .collect(),
        Some(_) => not_a_string("scope"),
    }
}

/// An introspection answer (RFC 7662 §2.2), plus the company where the
/// dialect names a field for it.
#[derive(Clone, Debug, PartialEq)]
pub struct Introspection {
    /// `active`: whether the token is valid now.
    pub active: bool,
    /// `scope`, split as the dialect says.
    pub scopes: Vec<String>,
    /// `client_id`.
    pub client_id: Option<String>,
    /// The company field the dialect names, if any.
    pub company: Option<String>,
    /// `exp`, in seconds since the epoch.
    pub expires_at: Option<u64>,
    /// `token_type`.
    pub token_type: Option<String>,
    /// `sub`.
    pub sub: Option<String>,
}

impl Introspection {
    /// Reads an introspection answer; `active` must be a boolean.
    pub fn from_response(body: &Object, dialect: &Dialect) -> Result<Introspection> {
        let field = |name: &str| dialect.field(body, name);
        let Some(Json::Bool(active)) = field("active") else {
            return refuse(Message::IntrospectionWithoutActive);
        };
        let text = |name: &str| match field(name) {
            Some(Json::String(s)) => Some(s.clone()),
            Some(Json::Number(n)) => Some(n.clone()),
            _ => None,
        };
        Ok(Introspection {
            active: *active,
            scopes: scopes(field("scope"), dialect.scopes)?,
            client_id: text("client_id"),
            company: dialect.company_field.and_then(text),
            expires_at: field("exp").and_then(Json::as_u64),
            token_type: text("token_type"),
            sub: text("sub"),
        })
    }
}

fn not_a_string<T>(field: &str) -> Result<T> {
    Err(Message::FieldNotString.with(&[field]))
}
