//! Exchanges with the token endpoint and calls to the provider's API, as
//! Promises. They run where the client secret may live: a Worker or Node (a
//! page may exchange only as a public client, with PKCE and no secret).

use super::client::OAuthClient;
use super::convert::{fields, from_json, js_error, now_secs, spawn, throw};
use super::fetch::{read_text, Transport};
use super::token::{introspection_to_js, require, token_from_js, token_to_js, Bare};
use crate::core::client::Client;
use crate::core::error::{Error, ErrorCode};
use crate::core::json::ObjectWriter;
use crate::core::request::HttpRequest;
use crate::core::response::HttpResponse;
use crate::core::secret::Secret;
use crate::core::token::Token;
use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::Headers;

/// `{ scopes, hint }` for refresh, client credentials and revocation.
#[derive(Default)]
struct GrantOptions {
    scopes: Vec<String>,
    hint: Option<String>,
}

fn grant_options(value: JsValue) -> Result<GrantOptions, JsValue> {
    let Some(mut f) = fields(&value, "options")? else {
        return Ok(GrantOptions::default());
    };
    let options = GrantOptions {
        scopes: f.strings("scopes").unwrap_or_default(),
        hint: f.string("hint"),
    };
    f.finish().map_err(throw)?;
    Ok(options)
}

/// What to make of a token endpoint's answer.
enum Finish {
    /// A token; `old` is the token being refreshed (rotation rules apply).
    Token {
        kind: Option<String>,
        old: Option<Token>,
    },
    Introspection,
    Revocation,
}

/// Sends `request` and finishes as `finish` says, as a Promise that rejects
/// with an OAuthError. Every exchange shares this one future: one state
/// machine and one `future_to_promise` in the module instead of five.
fn exchange(
    client: Client,
    transport: Transport,
    request: Result<HttpRequest, Error>,
    finish: Finish,
) -> Promise {
    spawn(async move {
        let outcome = async {
            let request = request?;
            let response = transport.send(&request).await?;
            match finish {
                Finish::Token { kind, old } => {
                    let token = client.parse_token_response(
                        &request,
                        &response,
                        now_secs(),
                        kind.as_deref(),
                    )?;
                    let token = match old {
                        Some(old) => token.refreshed_from(&old),
                        None => token,
                    };
                    js(token_to_js(&token))
                }
                Finish::Introspection => js(introspection_to_js(
                    &client.parse_introspection_response(&request, &response)?,
                )),
                Finish::Revocation => {
                    client.check_revocation_response(&request, &response)?;
                    Ok(JsValue::UNDEFINED)
                }
            }
        };
        outcome.await.map_err(|e| js_error(&e))
    })
}

fn js(result: Result<JsValue, JsValue>) -> Result<JsValue, Error> {
    result.map_err(|_| {
        Error::new(
            ErrorCode::InvalidArgument,
            "a result could not be converted for JS",
        )
    })
}

#[wasm_bindgen]
impl OAuthClient {
    /// Authorization code → token. `callback` is `parseCallback`'s result (or
    /// the code itself). Never retried: a code is single use.
    #[wasm_bindgen(js_name = exchangeCode)]
    pub fn exchange_code(&self, callback: JsValue, pending: String) -> Result<Promise, JsValue> {
        let code = match callback.as_string() {
            Some(code) => code,
            None => Reflect::get(&callback, &"code".into())?
                .as_string()
                .unwrap_or_default(),
        };
        if code.is_empty() {
            return Err(throw(Error::new(
                ErrorCode::InvalidArgument,
                "exchangeCode needs the callback's code",
            )));
        }
        let pending = self.inner.open_pending(&pending);
        let kind = pending.as_ref().ok().and_then(|p| p.token_kind.clone());
        let request = pending.and_then(|p| self.inner.code_request(&Secret::new(code), &p));
        Ok(self.send(request, Finish::Token { kind, old: None }))
    }

    /// Refresh (RFC 6749 §6). A new refresh token in the answer replaces the
    /// old one (rotation); none keeps the old one.
    pub fn refresh(&self, token: JsValue, options: JsValue) -> Result<Promise, JsValue> {
        let old = token_from_js(token, Bare::Refresh)?;
        let options = grant_options(options)?;
        let Some(refresh_token) = old.refresh_token.clone() else {
            return Err(throw(Error::new(
                ErrorCode::InvalidArgument,
                "the token has no refresh token",
            )));
        };
        let request = self.inner.refresh_request(&refresh_token, &options.scopes);
        Ok(self.send(
            request,
            Finish::Token {
                kind: None,
                old: Some(old),
            },
        ))
    }

    #[wasm_bindgen(js_name = clientCredentials)]
    pub fn client_credentials(&self, options: JsValue) -> Result<Promise, JsValue> {
        let options = grant_options(options)?;
        let request = self.inner.client_credentials_request(&options.scopes);
        Ok(self.send(
            request,
            Finish::Token {
                kind: None,
                old: None,
            },
        ))
    }

    /// Introspection (RFC 7662, or PayFit's): `{ active, scopes, clientId,
    /// companyId, expiresAt, … }`.
    pub fn introspect(&self, token: JsValue) -> Result<Promise, JsValue> {
        let token = token_from_js(token, Bare::Access)?;
        require(&token.access_token, "access token")?;
        let request = self.inner.introspection_request(&token.access_token);
        Ok(self.send(request, Finish::Introspection))
    }

    /// Revocation (RFC 7009). For a token object, its refresh token when it
    /// has one (ending the grant), else its access token.
    pub fn revoke(&self, token: JsValue, options: JsValue) -> Result<Promise, JsValue> {
        let options = grant_options(options)?;
        let (secret, hint) = match token.as_string() {
            Some(text) => (Secret::new(text), options.hint),
            None => {
                let token = token_from_js(token, Bare::Access)?;
                match token.refresh_token {
                    Some(refresh) => (refresh, Some("refresh_token".to_owned())),
                    None => (token.access_token, Some("access_token".to_owned())),
                }
            }
        };
        require(&secret, "token to revoke")?;
        let request = self.inner.revocation_request(&secret, hint.as_deref());
        Ok(self.send(request, Finish::Revocation))
    }

    /// `fetch` to the provider's API with the Bearer token. Resolves to the
    /// `Response`; rejects with `token_expired`, `token_revoked` or
    /// `invalid_token` when the API refuses the token, so the caller can
    /// refresh and retry once.
    #[wasm_bindgen(js_name = fetchApi)]
    pub fn fetch_api(
        &self,
        token: JsValue,
        path: String,
        init: JsValue,
    ) -> Result<Promise, JsValue> {
        let token = token_from_js(token, Bare::Access)?;
        require(&token.access_token, "access token")?;
        let request = self
            .inner
            .api_request(&token.access_token, &path)
            .map_err(|e| js_error(&e))?;
        let init = Object::assign(
            &Object::new(),
            &init.dyn_into::<Object>().unwrap_or_default(),
        );
        let given = Reflect::get(&init, &"headers".into())?;
        let headers = match given.dyn_ref::<Object>() {
            // `new Headers(init)` takes Headers, a record or pairs alike.
            Some(given) => Headers::new_with_headers(given.unchecked_ref())?,
            None => Headers::new()?,
        };
        for (name, value) in &request.headers {
            if name.eq_ignore_ascii_case("authorization") || !headers.has(name)? {
                headers.set(name, value)?;
            }
        }
        Reflect::set(&init, &"headers".into(), &headers)?;
        let (client, transport) = self.parts();
        Ok(spawn(async move {
            let response = transport.call(&request.url, &init).await.map_err(throw)?;
            if !(200..=299).contains(&response.status()) {
                let copy = response.clone().map_err(|_| {
                    throw(Error::new(
                        ErrorCode::NetworkError,
                        "the response could not be read",
                    ))
                })?;
                let checked = HttpResponse {
                    status: response.status(),
                    www_authenticate: response.headers().get("www-authenticate").ok().flatten(),
                    body: read_text(&copy, transport.timeout_ms())
                        .await
                        .map_err(throw)?,
                };
                client
                    .check_api_response(&request, &checked)
                    .map_err(throw)?;
            }
            Ok(response.into())
        }))
    }

    /// The token endpoint request for a code, as `{ method, url, headers,
    /// body }`, for callers with their own HTTP stack.
    #[wasm_bindgen(js_name = codeRequest)]
    pub fn code_request(&self, code: String, pending: String) -> Result<JsValue, JsValue> {
        let pending = self
            .inner
            .open_pending(&pending)
            .map_err(|e| js_error(&e))?;
        let request = self
            .inner
            .code_request(&Secret::new(code), &pending)
            .map_err(|e| js_error(&e))?;
        request_to_js(&request)
    }

    /// The refresh request as `{ method, url, headers, body }`.
    #[wasm_bindgen(js_name = refreshRequest)]
    pub fn refresh_request(&self, token: JsValue) -> Result<JsValue, JsValue> {
        let token = token_from_js(token, Bare::Refresh)?;
        let Some(refresh_token) = token.refresh_token else {
            return Err(js_error(&Error::new(
                ErrorCode::InvalidArgument,
                "the token has no refresh token",
            )));
        };
        let request = self
            .inner
            .refresh_request(&refresh_token, &[])
            .map_err(|e| js_error(&e))?;
        request_to_js(&request)
    }

    /// A token-endpoint answer `{ status, body, wwwAuthenticate? }` that your
    /// own HTTP stack received → Token, or throws the typed error.
    #[wasm_bindgen(js_name = parseTokenResponse)]
    pub fn parse_token_response(
        &self,
        response: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let Some(mut f) = fields(&response, "response")? else {
            return Err(throw(Error::new(
                ErrorCode::InvalidArgument,
                "a response { status, body } is required",
            )));
        };
        let status = f.u64("status").and_then(|s| u16::try_from(s).ok());
        f.checked().map_err(throw)?;
        let response = HttpResponse {
            status: status.ok_or_else(|| {
                throw(Error::new(
                    ErrorCode::InvalidArgument,
                    "response.status must be an HTTP status",
                ))
            })?,
            body: f.required_string("body"),
            www_authenticate: f.string("wwwAuthenticate"),
        };
        f.finish().map_err(throw)?;
        let token_kind = match fields(&options, "options")? {
            Some(mut o) => {
                let kind = o.string("tokenKind");
                o.finish().map_err(throw)?;
                kind
            }
            None => None,
        };
        // No request: nothing of ours to scrub but the response's own fields.
        let request = HttpRequest {
            method: "POST",
            url: String::new(),
            headers: Vec::new(),
            body: None,
            secrets: Vec::new(),
        };
        let token = self
            .inner
            .parse_token_response(&request, &response, now_secs(), token_kind.as_deref())
            .map_err(|e| js_error(&e))?;
        token_to_js(&token)
    }

    /// True when the token expires within `skewSeconds` (default 60).
    #[wasm_bindgen(js_name = isExpired)]
    pub fn is_expired(&self, token: JsValue, skew_seconds: Option<u32>) -> Result<bool, JsValue> {
        let token = token_from_js(token, Bare::Access)?;
        Ok(token.is_expired(now_secs(), skew_seconds.unwrap_or(60).into()))
    }

    /// Sends `request` through the shared exchange future.
    fn send(&self, request: Result<HttpRequest, Error>, finish: Finish) -> Promise {
        exchange(self.inner.clone(), self.transport.clone(), request, finish)
    }

    fn parts(&self) -> (Client, Transport) {
        (self.inner.clone(), self.transport.clone())
    }
}

fn request_to_js(request: &HttpRequest) -> Result<JsValue, JsValue> {
    let mut headers = ObjectWriter::default();
    for (name, value) in &request.headers {
        headers.str(name, value);
    }
    from_json(
        &ObjectWriter::default()
            .str("method", request.method)
            .str("url", &request.url)
            .raw("headers", &headers.finish())
            .opt_str("body", request.body.as_deref())
            .finish(),
    )
}
