//! Responses → results or typed errors. One error model for every dialect:
//! RFC 6749 §5.2 (`error`, `error_description`), RFC 6750 §3
//! `WWW-Authenticate: Bearer error="invalid_token"`, a preset's own error
//! list (`Dialect::error_list`), and bodies that are HTML, empty or not JSON.

use crate::core::client::Client;
use crate::core::dialect::{Dialect, Object};
use crate::core::encoding::{b64, b64url};
use crate::core::error::{Error, ErrorCode, Result, PROVIDER_TEXT_MAX};
use crate::core::json::{self, Json};
use crate::core::messages::Message;
use crate::core::request::HttpRequest;
use crate::core::secret::Secret;
use crate::core::token::{Introspection, Lifetime, Token};
use crate::core::urls;

/// The largest body parsed.
pub const BODY_MAX: usize = 1 << 20;
/// Characters of a body kept in an error, after scrubbing.
pub const EXCERPT_MAX: usize = 200;
/// Names whose values are secret wherever they appear in a body, folded
/// (ASCII letters and digits only, lower case: `Access_Token`, `accessToken`
/// and `access-token` all fold to `accesstoken`)...
const SECRET_NAMES: [&str; 5] = [
    "code",
    "codeverifier",
    "assertion",
    "apikey",
    "authorization",
];
/// ...and folded names ending in one of these (`access_token`, `id_token`,
/// `client_secret`, `new_refresh_token`, ...).
const SECRET_SUFFIXES: [&str; 3] = ["token", "secret", "password"];

/// What the JS layer read from a response: all the core needs of it.
#[derive(Clone)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// The `WWW-Authenticate` header (RFC 6750 §3), when sent.
    pub www_authenticate: Option<String>,
    /// The body, already capped in size by the JS layer.
    pub body: String,
}

impl Client {
    /// A token-endpoint answer → `Token`. `token_kind` is the pending
    /// value's (a kind may never expire).
    pub fn parse_token_response(
        &self,
        request: &HttpRequest,
        response: &HttpResponse,
        now: u64,
        token_kind: Option<&str>,
    ) -> Result<Token> {
        refuse_redirect(response)?;
        let body = self.success_body(request, response, false)?;
        let kind = self
            .preset
            .token_kinds
            .iter()
            .find(|k| Some(k.name) == token_kind);
        let lifetime = Lifetime {
            never_expires: kind.map_or(self.preset.never_expires, |k| k.never_expires),
            default_secs: self.preset.default_lifetime,
        };
        // A 2xx answer of the token endpoint is the new token, under
        // whatever names it uses: no excerpt of it is kept.
        let dialect = &self.preset.response;
        let mut token = Token::from_response(&body, &response.body, now, lifetime, dialect)
            .map_err(|e| e.with_http(response.status, None))?;
        // RFC 6749 §5.1: scope is omitted when identical to the request's.
        if dialect.field(&body, "scope").is_none() && !request.scopes.is_empty() {
            token.scopes = request.scopes.clone();
            token.scopes_inferred = true;
        }
        Ok(token)
    }

    /// An introspection answer (RFC 7662 §2.2) or the typed error it carries.
    pub fn parse_introspection_response(
        &self,
        request: &HttpRequest,
        response: &HttpResponse,
    ) -> Result<Introspection> {
        refuse_redirect(response)?;
        let body = self.success_body(request, response, true)?;
        Introspection::from_response(&body, &self.preset.response).map_err(|e| {
            e.with_http(
                response.status,
                Some(excerpt(&response.body, request.secrets())),
            )
        })
    }

    /// Revocation succeeds on any 2xx (RFC 7009 §2.2: the body is ignored).
    pub fn check_revocation_response(
        &self,
        request: &HttpRequest,
        response: &HttpResponse,
    ) -> Result<()> {
        refuse_redirect(response)?;
        match response.status {
            200..=299 => Ok(()),
            _ => Err(self.error_for(request, response, parse_object(&response.body), true)),
        }
    }

    /// An API answer: `Ok` unless it says the token is invalid, expired or
    /// revoked (so the caller can refresh and retry once). Other statuses are
    /// the caller's to read.
    pub fn check_api_response(&self, request: &HttpRequest, response: &HttpResponse) -> Result<()> {
        if (200..=299).contains(&response.status) {
            // A preset whose API has an error envelope with no documented
            // status (`ErrorList::any_status`) reads it inside a success too.
            let body = match self.reads_api_success_body() {
                true => parse_object(&response.body),
                false => None,
            };
            return match body {
                Some(body) if list_error(&body, &self.preset.response).is_some() => {
                    Err(self.error_for(request, response, Some(body), true))
                }
                _ => Ok(()),
            };
        }
        let error = self.error_for(request, response, parse_object(&response.body), true);
        match error.code() {
            code if code.refresh_and_retry() => Err(error),
            _ if response.status == 401 => Err(error),
            _ => Ok(()),
        }
    }

    /// Whether a successful API answer's body must be read too: the preset
    /// has an error envelope that can come with any status.
    pub fn reads_api_success_body(&self) -> bool {
        self.preset
            .response
            .error_list
            .is_some_and(|list| list.any_status)
    }

    /// A 2xx JSON object that is not an error, or the typed error. An error
    /// for a 2xx answer keeps an excerpt of it only if `excerpt_2xx`.
    fn success_body(
        &self,
        request: &HttpRequest,
        response: &HttpResponse,
        excerpt_2xx: bool,
    ) -> Result<Vec<(String, Json)>> {
        if response.body.len() > BODY_MAX {
            return Err(Message::BodyTooLarge
                .error()
                .with_http(response.status, None));
        }
        let parsed = parse_object(&response.body);
        let ok = (200..=299).contains(&response.status);
        // `"error": null` is no error.
        let dialect = &self.preset.response;
        let absent =
            |name: &str, body: &Object| dialect.field(body, name).is_none_or(Json::is_null);
        let no_error = |body: &Object| {
            absent("error", body) && dialect.error_list.is_none_or(|l| absent(l.list, body))
        };
        let keep_excerpt = !ok || excerpt_2xx;
        match parsed {
            Some(body) if ok && no_error(&body) => Ok(body),
            // Some servers answer errors with 200 (arctic notes one).
            parsed if !ok || parsed.is_some() => {
                Err(self.error_for(request, response, parsed, keep_excerpt))
            }
            _ => Err(Message::BodyNotObject.error().with_http(
                response.status,
                keep_excerpt.then(|| excerpt(&response.body, request.secrets())),
            )),
        }
    }

    fn error_for(
        &self,
        request: &HttpRequest,
        response: &HttpResponse,
        body: Option<Vec<(String, Json)>>,
        keep_excerpt: bool,
    ) -> Error {
        let status = response.status;
        let text = keep_excerpt.then(|| excerpt(&response.body, request.secrets()));
        let dialect = &self.preset.response;
        let error = body
            .as_ref()
            .and_then(|b| rfc6749_error(b, dialect))
            .or_else(|| body.as_ref().and_then(|b| list_error(b, dialect)))
            .or_else(|| {
                response
                    .www_authenticate
                    .as_deref()
                    .and_then(bearer_challenge_error)
            })
            .unwrap_or_else(|| {
                let message = if (200..=299).contains(&status) {
                    Message::SuccessOfAnotherShape
                } else {
                    Message::HttpErrorWithoutOAuthError
                };
                message.error()
            });
        // The provider's own text may echo what we sent (a test found an
        // error_description quoting the refresh token).
        error
            .scrub_provider_text(|t| {
                scrub_cut(
                    &redact_named_values(t),
                    request.secrets(),
                    PROVIDER_TEXT_MAX,
                )
            })
            .with_http(status, text)
    }
}

/// The dialect's error list (`{"<list>":[{"<code>":…}]}`), its first entry
/// mapped by the dialect's code table.
fn list_error(body: &Object, dialect: &Dialect) -> Option<Error> {
    let list = dialect.error_list?;
    let first = dialect
        .field(body, list.list)?
        .as_array()?
        .first()?
        .as_object()?;
    let provider_code = dialect.field(first, list.code)?.as_str()?;
    let message = dialect.field(first, list.message).and_then(Json::as_str);
    let code = list
        .codes
        .iter()
        .find(|(name, _)| *name == provider_code)
        .map_or(ErrorCode::HttpError, |(_, code)| *code);
    // The provider's table picks the code; the text is one for all.
    let error = Message::ApiRefusedRequest.error().recoded(code);
    Some(error.with_provider_uncut(Some(provider_code), message))
}

/// An OAuth endpoint's redirect would have its body (secret, code,
/// verifier) sent on to wherever it points (RFC 9700 §4.11), so io.js never
/// follows one, and it is an error here. Status 0 is a browser's opaque
/// redirect (`redirect: "manual"`).
fn refuse_redirect(response: &HttpResponse) -> Result<()> {
    match response.status {
        0 | 300..=399 => Err(Message::RedirectNotFollowed
            .error()
            .with_http(response.status, None)),
        _ => Ok(()),
    }
}

fn parse_object(body: &str) -> Option<Vec<(String, Json)>> {
    match json::parse(body)? {
        Json::Object(fields) => Some(fields),
        _ => None,
    }
}

/// RFC 6749 §5.2.
fn rfc6749_error(body: &Object, dialect: &Dialect) -> Option<Error> {
    let error = dialect.field(body, "error")?.as_str()?;
    let description = dialect
        .field(body, "error_description")
        .and_then(Json::as_str);
    let message = match error {
        "invalid_grant" => Message::GrantRefused,
        "invalid_client" => Message::ClientAuthFailed,
        "invalid_token" => Message::AccessTokenRefused,
        _ => Message::OAuthErrorAnswered,
    };
    Some(
        message
            .error()
            .with_provider_uncut(Some(error), description),
    )
}

/// RFC 6750 §3: `Bearer realm="x", error="invalid_token", error_description="…"`.
fn bearer_challenge_error(header: &str) -> Option<Error> {
    let rest = header
        .trim_start()
        .strip_prefix("Bearer")
        .or_else(|| header.trim_start().strip_prefix("bearer"))?;
    let param = |name: &str| {
        rest.split(',').find_map(|part| {
            let (key, value) = part.trim().split_once('=')?;
            (key.trim() == name).then(|| value.trim().trim_matches('"').to_owned())
        })
    };
    let error = param("error")?;
    let message = match error.as_str() {
        "invalid_token" => Message::BearerTokenRefused,
        _ => Message::BearerChallengeError,
    };
    Some(
        message
            .error()
            .with_provider_uncut(Some(&error), param("error_description").as_deref()),
    )
}

/// At most `EXCERPT_MAX` characters of `body` with every secret removed:
/// values of secret-named fields (JSON, form-encoded, or `name=value` and
/// `name: value` in any text), and each secret the request carried in raw,
/// form-encoded, JSON-escaped and base64 forms.
pub fn excerpt(body: &str, secrets: &[Secret]) -> String {
    let text = match json::parse(body) {
        Some(mut value) => {
            redact_json(&mut value);
            value.to_text()
        }
        None => body.chars().take(BODY_MAX).collect(),
    };
    scrub_cut(&redact_named_values(&text), secrets, EXCERPT_MAX)
}

/// `text` scrubbed (see `scrub`), then cut to `max` characters, then rid of
/// any start of a secret at its end: one the cut split, or one the provider
/// cut itself. Never longer than `max`.
pub fn scrub_cut(text: &str, secrets: &[Secret], max: usize) -> String {
    const MARK: &str = "[redacted]";
    let mut text = scrub(text, secrets);
    if let Some((at, _)) = text.char_indices().nth(max) {
        text.truncate(at);
    }
    let forms: Vec<String> = secrets.iter().flat_map(|s| forms(s.expose())).collect();
    // The longest tail that starts a secret (4 bytes or more: shorter ones
    // would wreck ordinary words and reveal little).
    let start = text.char_indices().map(|(at, _)| at).find(|&at| {
        let tail = text.get(at..).unwrap_or_default();
        tail.len() >= PREFIX_MIN && forms.iter().any(|form| form.starts_with(tail))
    });
    if let Some(start) = start {
        text.truncate(start);
        let over = (text.chars().count() + MARK.len()).saturating_sub(max);
        for _ in 0..over {
            text.pop();
        }
        text.push_str(MARK);
    }
    text
}

/// Scrubbing shorter text would wreck ordinary words.
const PREFIX_MIN: usize = 4;
/// A start of a secret this long is scrubbed wherever it appears (a server
/// that cut its own echo of a token).
const START_MIN: usize = 8;

/// `text` with every run that starts like `form` (its first `START_MIN`
/// bytes or more, or all of it) replaced by `[redacted]`.
fn redact_starts(text: &str, form: &str) -> String {
    let head = (START_MIN..form.len())
        .find(|&n| form.is_char_boundary(n))
        .and_then(|n| form.get(..n))
        .unwrap_or(form);
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (at, _) in text.match_indices(head) {
        if at < copied {
            continue; // inside the run just redacted
        }
        let rest = text.get(at..).unwrap_or_default().as_bytes();
        let mut len = rest
            .iter()
            .zip(form.as_bytes())
            .take_while(|(a, b)| a == b)
            .count();
        while !text.is_char_boundary(at + len) {
            len -= 1;
        }
        out.push_str(text.get(copied..at).unwrap_or_default());
        out.push_str("[redacted]");
        copied = at + len;
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

/// How `raw` may appear in a response: raw, form-encoded, JSON-escaped and
/// base64 (standard without padding, and url-safe).
fn forms(raw: &str) -> Vec<String> {
    if raw.len() < PREFIX_MIN {
        return Vec::new();
    }
    // A server may echo what it received percent-encoded as any encoder
    // writes it: form_urlencoded's, encodeURIComponent's, or every reserved
    // byte escaped; in upper- or lowercase hex.
    let mut form = String::new();
    urls::push_form_encoded(&mut form, raw);
    let component = percent(raw, |b| b"-_.!~*'()".contains(&b));
    let strict = percent(raw, |b| b"-_.~".contains(&b));
    let mut forms = vec![
        raw.to_owned(),
        lowercase_escapes(&form),
        lowercase_escapes(&component),
        lowercase_escapes(&strict),
        form,
        component,
        strict,
        json_escaped(raw),
        b64(raw.as_bytes()).trim_end_matches('=').to_owned(),
        b64url(raw.as_bytes()),
    ];
    forms.sort_unstable();
    forms.dedup();
    forms.into_iter().filter(|f| !f.is_empty()).collect()
}

/// `raw` with every byte escaped as `%XX` but ASCII alphanumerics and `keep`.
fn percent(raw: &str, keep: fn(u8) -> bool) -> String {
    let hex = |n: u8| char::from_digit(u32::from(n), 16).map_or('0', |c| c.to_ascii_uppercase());
    let mut out = String::with_capacity(raw.len() * 3);
    for &b in raw.as_bytes() {
        if b.is_ascii_alphanumeric() || keep(b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(hex(b >> 4));
            out.push(hex(b & 15));
        }
    }
    out
}

/// The two hex digits after each `%` in lowercase.
fn lowercase_escapes(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut hex_left = 0u8;
    for c in encoded.chars() {
        out.push(if hex_left > 0 {
            c.to_ascii_lowercase()
        } else {
            c
        });
        hex_left = if c == '%' {
            2
        } else {
            hex_left.saturating_sub(1)
        };
    }
    out
}

/// `name` names a secret, whatever its case and `_`, `-` or camel spelling.
pub fn is_secret_name(name: &str) -> bool {
    let folded: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    SECRET_NAMES.contains(&folded.as_str()) || SECRET_SUFFIXES.iter().any(|s| folded.ends_with(s))
}

/// `text` with the value after every secret-named `name=`, `name:`,
/// `"name":` (form bodies, query strings, JSON that did not parse, prose)
/// replaced by `[redacted]`. A quoted value runs to its closing quote; a bare
/// one to the next delimiter.
fn redact_named_values(text: &str) -> String {
    let bytes = text.as_bytes();
    let is_word = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-');
    let is_end = |b: &u8| b.is_ascii_whitespace() || b"&,;<>\"'(){}[]".contains(b);
    let skip = |mut i: usize, what: &dyn Fn(&u8) -> bool| {
        while bytes.get(i).is_some_and(what) {
            i += 1;
        }
        i
    };
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        if !bytes.get(at).is_some_and(is_word) {
            at += 1;
            continue;
        }
        let start = at;
        at = skip(at, &is_word);
        let mut i = at;
        if matches!(bytes.get(i), Some(b'"' | b'\'')) {
            i += 1;
        }
        i = skip(i, &|b| *b == b' ');
        if !matches!(bytes.get(i), Some(b'=' | b':'))
            || !is_secret_name(text.get(start..at).unwrap_or_default())
        {
            continue;
        }
        let i = skip(i + 1, &|b| *b == b' ');
        let (from, to) = match bytes.get(i) {
            Some(&quote @ (b'"' | b'\'')) => (i + 1, skip(i + 1, &|b| *b != quote)),
            _ => (i, skip(i, &|b| !is_end(b))),
        };
        if to > from {
            out.push_str(text.get(copied..from).unwrap_or_default());
            out.push_str("[redacted]");
            copied = to;
            at = to;
        }
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

/// `text` without control characters and without any of `secrets` in raw,
/// form-encoded, JSON-escaped or base64 form. Control characters go first:
/// removed after, they could join the pieces of a secret split by them (a
/// fuzzer found `…94a\0\0ed`).
pub fn scrub(text: &str, secrets: &[Secret]) -> String {
    let mut text: String = text.chars().filter(|c| !c.is_control()).collect();
    for form in secrets.iter().flat_map(|s| forms(s.expose())) {
        text = redact_starts(&text, &form);
    }
    text
}

/// `raw` as it appears inside a JSON string.
fn json_escaped(raw: &str) -> String {
    let mut out = String::new();
    json::write_str(&mut out, raw);
    out.trim_matches('"').to_owned()
}

/// Replaces the values of secret-named fields (parsing capped the depth).
fn redact_json(value: &mut Json) {
    match value {
        Json::Object(fields) => {
            for (key, v) in fields.iter_mut() {
                if is_secret_name(key) {
                    *v = Json::String("[redacted]".into());
                } else {
                    redact_json(v);
                }
            }
        }
        Json::Array(items) => items.iter_mut().for_each(redact_json),
        _ => {}
    }
}
