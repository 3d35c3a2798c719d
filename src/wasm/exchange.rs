//! Exchanges with the token endpoint and calls to the provider's API, in two
//! synchronous halves: `prepare…` builds the request (an `Exchange`), and
//! `Exchange.finish` reads the answer. The package's JS layer (io.js) sends
//! the request in between: timeouts, redirects and body reading are its I/O
//! policy, never decided here.

use super::client::OAuthClient;
use super::convert::{fields, from_json, held, json_text, now_secs, string_arg, throw};
use super::token::{introspection_to_js, require, token_from_js, token_to_js, Bare};
use crate::core::callback::check_flow_state;
use crate::core::client::Client;
use crate::core::error::Error;
use crate::core::json::{self, Json, ObjectWriter};
use crate::core::messages::Message;
use crate::core::request::HttpRequest;
use crate::core::response::{scrub, HttpResponse};
use crate::core::secret::Secret;
use crate::core::token::{Introspection, Token};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

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

/// What to make of the answer.
enum Finish {
    /// A token; `old` is the token being refreshed (rotation rules apply).
    Token {
        kind: Option<String>,
        old: Option<Token>,
    },
    Introspection,
    Revocation,
    /// An API call: only a refused token is an error.
    Api,
}

/// A request to send, and how to read its answer. Holds the request's
/// secrets, so error excerpts can be scrubbed of them.
#[wasm_bindgen]
pub struct Exchange {
    /// `None` once `release` (io.js' `finally`) dropped it. Each call holds
    /// its own count only while it runs Rust (never across a call into JS),
    /// as the client's calls do: wasm-bindgen's own `free()` refused an
    /// object whose call an app's import unwound, which masked that
    /// call's error and kept its secrets.
    inner: Cell<Option<Rc<Prepared>>>,
}

struct Prepared {
    client: Rc<Client>,
    request: HttpRequest,
    finish: Finish,
}

impl Exchange {
    fn prepared(&self) -> Result<Rc<Prepared>, JsValue> {
        held(&self.inner)
    }
}

#[wasm_bindgen]
impl Exchange {
    /// Drops the request and its secrets now (io.js' `finally`); twice is
    /// a no-op. wasm-bindgen's `free()` goes with the object.
    pub fn release(&self) {
        drop(self.inner.take());
    }

    /// `{ method, url, headers, body }`, byte for byte what to send.
    #[wasm_bindgen(getter)]
    pub fn request(&self) -> Result<JsValue, JsValue> {
        let text = request_json(&self.prepared()?.request);
        from_json(&text)
    }

    /// For an API call: whether a 2xx answer's body must be read and handed
    /// to `finish` too (an error envelope that comes with any status).
    #[wasm_bindgen(getter, js_name = readsSuccessBody)]
    pub fn reads_success_body(&self) -> Result<bool, JsValue> {
        let prepared = self.prepared()?;
        Ok(matches!(prepared.finish, Finish::Api) && prepared.client.reads_api_success_body())
    }

    /// `text` (an I/O error's message) with this request's secrets removed.
    pub fn scrub(&self, text: &str) -> Result<String, JsValue> {
        Ok(scrub(text, self.prepared()?.request.secrets()))
    }

    /// The answer's status, `WWW-Authenticate` and body → a token, an
    /// introspection result or `undefined`; or throws the typed error.
    pub fn finish(
        &self,
        status: u16,
        www_authenticate: Option<String>,
        body: String,
    ) -> Result<JsValue, JsValue> {
        let response = HttpResponse {
            status,
            www_authenticate,
            body,
        };
        // The clock before the count, and the count dropped before the
        // answer is made in JS: app code that throws there leaves none.
        let token = matches!(self.prepared()?.finish, Finish::Token { .. });
        let now = if token { now_secs() } else { 0 };
        let prepared = self.prepared()?;
        let (client, request) = (&prepared.client, &prepared.request);
        let answer = match &prepared.finish {
            Finish::Token { kind, old } => client
                .parse_token_response(request, &response, now, kind.as_deref())
                .map(|token| match old {
                    Some(old) => Answer::Token(token.refreshed_from(old)),
                    None => Answer::Token(token),
                }),
            Finish::Introspection => client
                .parse_introspection_response(request, &response)
                .map(Answer::Introspection),
            Finish::Revocation => client
                .check_revocation_response(request, &response)
                .map(|()| Answer::Nothing),
            Finish::Api => client
                .check_api_response(request, &response)
                .map(|()| Answer::Nothing),
        };
        drop(prepared);
        match answer.map_err(throw)? {
            Answer::Token(token) => token_to_js(&token),
            Answer::Introspection(result) => introspection_to_js(&result),
            Answer::Nothing => Ok(JsValue::UNDEFINED),
        }
    }
}

enum Answer {
    Token(Token),
    Introspection(Introspection),
    Nothing,
}

#[wasm_bindgen]
impl OAuthClient {
    /// Authorization code → token. `callback` is `parseCallback`'s result:
    /// its state must be the pending flow's. A bare code needs
    /// `{ skipStateCheck: true }`.
    #[wasm_bindgen(js_name = prepareCode)]
    pub fn prepare_code(
        &self,
        callback: JsValue,
        pending: JsValue,
        options: JsValue,
    ) -> Result<Exchange, JsValue> {
        let pending = string_arg(&pending, "the pending value")?;
        let (request, kind) = self.checked_code(&callback, &pending, options)?;
        self.exchange(request, Finish::Token { kind, old: None })
    }

    /// Refresh (RFC 6749 §6). A new refresh token in the answer replaces the
    /// old one (rotation); none keeps the old one.
    #[wasm_bindgen(js_name = prepareRefresh)]
    pub fn prepare_refresh(&self, token: JsValue, options: JsValue) -> Result<Exchange, JsValue> {
        let old = token_from_js(token, Bare::Refresh)?;
        let options = grant_options(options)?;
        let Some(refresh_token) = old.refresh_token.clone() else {
            return Err(no_refresh_token());
        };
        let request = self
            .client()?
            .refresh_request(&refresh_token, &options.scopes);
        let finish = Finish::Token {
            kind: None,
            old: Some(old),
        };
        self.exchange(request, finish)
    }

    /// The client credentials grant (RFC 6749 §4.4).
    #[wasm_bindgen(js_name = prepareClientCredentials)]
    pub fn prepare_client_credentials(&self, options: JsValue) -> Result<Exchange, JsValue> {
        let options = grant_options(options)?;
        let request = self.client()?.client_credentials_request(&options.scopes);
        let finish = Finish::Token {
            kind: None,
            old: None,
        };
        self.exchange(request, finish)
    }

    /// Introspection (RFC 7662, or PayFit's).
    #[wasm_bindgen(js_name = prepareIntrospection)]
    pub fn prepare_introspection(&self, token: JsValue) -> Result<Exchange, JsValue> {
        let token = token_from_js(token, Bare::Access)?;
        require(&token.access_token, "access token")?;
        let request = self.client()?.introspection_request(&token.access_token);
        self.exchange(request, Finish::Introspection)
    }

    /// Revocation (RFC 7009). For a token object, its refresh token when it
    /// has one (ending the grant), else its access token.
    #[wasm_bindgen(js_name = prepareRevocation)]
    pub fn prepare_revocation(
        &self,
        token: JsValue,
        options: JsValue,
    ) -> Result<Exchange, JsValue> {
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
        let request = self.client()?.revocation_request(&secret, hint.as_deref());
        self.exchange(request, Finish::Revocation)
    }

    /// A call to the provider's API with the Bearer token: the URL and the
    /// headers to add; `finish` refuses an answer that refuses the token.
    #[wasm_bindgen(js_name = prepareApiCall)]
    pub fn prepare_api_call(&self, token: JsValue, path: JsValue) -> Result<Exchange, JsValue> {
        let path = string_arg(&path, "the API path")?;
        let token = token_from_js(token, Bare::Access)?;
        require(&token.access_token, "access token")?;
        let request = self.client()?.api_request(&token.access_token, &path);
        self.exchange(request, Finish::Api)
    }

    /// The token endpoint request for a code, as `{ method, url, headers,
    /// body }`, for callers with their own HTTP stack. The same state check
    /// as `exchangeCode`.
    #[wasm_bindgen(js_name = codeRequest)]
    pub fn code_request(
        &self,
        callback: JsValue,
        pending: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let pending = string_arg(&pending, "the pending value")?;
        let (request, _) = self.checked_code(&callback, &pending, options)?;
        request_to_js(&request.map_err(throw)?)
    }

    /// The refresh request as `{ method, url, headers, body }`.
    #[wasm_bindgen(js_name = refreshRequest)]
    pub fn refresh_request(&self, token: JsValue) -> Result<JsValue, JsValue> {
        let token = token_from_js(token, Bare::Refresh)?;
        let Some(refresh_token) = token.refresh_token else {
            return Err(no_refresh_token());
        };
        let request = self
            .client()?
            .refresh_request(&refresh_token, &[])
            .map_err(throw)?;
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
            return Err(throw(Message::ResponseRequired.error()));
        };
        let status = f.u64("status").and_then(|s| u16::try_from(s).ok());
        f.checked().map_err(throw)?;
        let response = HttpResponse {
            status: status.ok_or_else(|| throw(Message::StatusNotHttp.error()))?,
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
            scopes: Vec::new(),
        };
        let token = self
            .client()?
            .parse_token_response(&request, &response, now_secs(), token_kind.as_deref())
            .map_err(throw)?;
        token_to_js(&token)
    }

    /// True when the token expires within `skewSeconds` (default 60).
    #[wasm_bindgen(js_name = isExpired)]
    pub fn is_expired(&self, token: JsValue, skew_seconds: Option<u32>) -> Result<bool, JsValue> {
        // A freed client answers as every method does, though this reads only the token.
        self.client()?;
        let token = token_from_js(token, Bare::Access)?;
        Ok(token.is_expired(now_secs(), skew_seconds.unwrap_or(60).into()))
    }

    /// Seconds a refresh token lasts, where the preset knows (Payout: 90
    /// days); `undefined` otherwise.
    #[wasm_bindgen(getter, js_name = refreshTokenLifetime)]
    pub fn refresh_token_lifetime(&self) -> Result<Option<u32>, JsValue> {
        Ok(self
            .client()?
            .preset()
            .refresh_token_lifetime
            .map(|s| u32::try_from(s).unwrap_or(u32::MAX)))
    }

    /// One token per company: introspection names the company, and
    /// a new token for a company invalidates the previous one.
    #[wasm_bindgen(getter, js_name = oneTokenPerCompany)]
    pub fn one_token_per_company(&self) -> Result<bool, JsValue> {
        Ok(self.client()?.preset().one_token_per_company)
    }

    /// Milliseconds an exchange may take (`timeoutMs`), for the JS layer.
    #[wasm_bindgen(getter, js_name = timeoutMs)]
    pub fn timeout_ms(&self) -> Result<u32, JsValue> {
        Ok(self.client()?.timeout_ms())
    }

    /// The token request for the callback's code, once its state matched
    /// the pending flow's, and the flow's token kind. The pending value is
    /// read where it is unsealed: no owned `Pending` copied out of it.
    fn checked_code(
        &self,
        callback: &JsValue,
        pending: &str,
        options: JsValue,
    ) -> Result<(Result<HttpRequest, Error>, Option<String>), JsValue> {
        let (code, state) = code_and_state(callback)?;
        if code.is_empty() {
            return Err(throw(Message::ExchangeWithoutCode.error()));
        }
        let skip = match fields(&options, "options")? {
            Some(mut f) => {
                let skip = f.bool("skipStateCheck");
                f.finish().map_err(throw)?;
                skip == Some(true)
            }
            None => false,
        };
        let client = self.client()?;
        let bytes = client.unseal_pending(pending).map_err(throw)?;
        let pending = client.pending_view(&bytes).map_err(throw)?;
        check_flow_state(pending.state, state.as_deref(), skip).map_err(throw)?;
        let request =
            client.code_request_for(&Secret::new(code), pending.verifier, pending.redirect_uri);
        Ok((request, pending.token_kind.map(str::to_owned)))
    }

    fn exchange(
        &self,
        request: Result<HttpRequest, Error>,
        finish: Finish,
    ) -> Result<Exchange, JsValue> {
        let prepared = Prepared {
            client: self.client()?,
            request: request.map_err(throw)?,
            finish,
        };
        Ok(Exchange {
            inner: Cell::new(Some(Rc::new(prepared))),
        })
    }
}

/// The code and state of `parseCallback`'s result (own properties only, as
/// JSON.stringify reads them), or a bare code and no state.
fn code_and_state(callback: &JsValue) -> Result<(String, Option<String>), JsValue> {
    if let Some(code) = callback.as_string() {
        return Ok((code, None));
    }
    let object = match callback.is_object() {
        true => json::parse(&json_text(callback, "callback")?),
        false => None,
    };
    let text = |name| {
        object
            .as_ref()
            .and_then(|o| o.get(name))
            .and_then(Json::as_str)
            .map(str::to_owned)
    };
    Ok((text("code").unwrap_or_default(), text("state")))
}

fn no_refresh_token() -> JsValue {
    throw(Message::TokenLacks.with(&["refresh token"]))
}

fn request_to_js(request: &HttpRequest) -> Result<JsValue, JsValue> {
    from_json(&request_json(request))
}

fn request_json(request: &HttpRequest) -> String {
    let mut headers = ObjectWriter::default();
    for (name, value) in &request.headers {
        headers.str(name, value);
    }
    ObjectWriter::default()
        .str("method", request.method)
        .str("url", &request.url)
        .raw("headers", &headers.finish())
        .opt_str("body", request.body.as_deref())
        .finish()
}
