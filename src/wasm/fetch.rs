//! Sends a core `HttpRequest` through the caller's `fetch` (default
//! `globalThis.fetch`) with an AbortSignal timeout. Never retries: an
//! authorization code is single use.

use crate::core::error::{Error, ErrorCode};
use crate::core::request::HttpRequest;
use crate::core::response::HttpResponse;
use crate::core::text::decimal;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

#[derive(Clone)]
pub struct Transport {
    /// The caller's fetch; `None`: the global one, looked up when first
    /// needed (Node loads its fetch lazily, ~4 ms: a client that only
    /// starts flows should not pay for it).
    fetch: Option<Function>,
    timeout_ms: u32,
}

impl Transport {
    pub fn new(fetch: JsValue, timeout_ms: u32) -> Result<Transport, Error> {
        if fetch.is_undefined() || fetch.is_null() {
            return Ok(Transport {
                fetch: None,
                timeout_ms,
            });
        }
        match fetch.dyn_into::<Function>() {
            Ok(fetch) => Ok(Transport {
                fetch: Some(fetch),
                timeout_ms,
            }),
            Err(_) => Err(Error::new(
                ErrorCode::InvalidConfig,
                "the fetch option must be a function",
            )),
        }
    }

    pub fn timeout_ms(&self) -> u32 {
        self.timeout_ms
    }

    fn fetch(&self) -> Result<Function, Error> {
        if let Some(fetch) = &self.fetch {
            return Ok(fetch.clone());
        }
        Reflect::get(&js_sys::global(), &"fetch".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidConfig,
                    "no global fetch here: pass one in the client options",
                )
            })
    }

    /// Sends and reads the whole body as text, within the timeout.
    pub async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, Error> {
        let init = Object::new();
        set(&init, "method", &request.method.into());
        let headers = Object::new();
        for (name, value) in &request.headers {
            set(&headers, name, &value.into());
        }
        set(&init, "headers", &headers);
        if let Some(body) = &request.body {
            set(&init, "body", &body.into());
        }
        let response = self.call(&request.url, &init).await?;
        Ok(HttpResponse {
            status: response.status(),
            www_authenticate: response.headers().get("www-authenticate").ok().flatten(),
            body: read_text(&response, self.timeout_ms).await?,
        })
    }

    /// Calls fetch with `init`, adding `AbortSignal.timeout(ms)` unless the
    /// caller gave a signal; the same signal bounds reading the body.
    pub async fn call(&self, url: &str, init: &Object) -> Result<Response, Error> {
        let fetch = self.fetch()?;
        let mut ours = None;
        if Reflect::get(init, &"signal".into()).map_or(true, |s| s.is_undefined()) {
            ours = Reflect::get(&js_sys::global(), &"AbortSignal".into())
                .and_then(|class| Ok((class.clone(), Reflect::get(&class, &"timeout".into())?)))
                .ok()
                .and_then(|(class, f)| {
                    f.dyn_into::<Function>()
                        .ok()?
                        .call1(&class, &self.timeout_ms.into())
                        .ok()
                });
            if let Some(signal) = &ours {
                set(init, "signal", signal);
            }
        }
        let started = fetch.call2(&js_sys::global(), &url.into(), init);
        let outcome = match started {
            Ok(promise) => JsFuture::from(Promise::resolve(&promise)).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok(value) => value
                .dyn_into::<Response>()
                .map_err(|_| network("fetch did not resolve to a Response")),
            // Our signal fired: the timeout, whatever the rejection says.
            Err(_) if ours.as_ref().is_some_and(aborted) => Err(timeout(self.timeout_ms)),
            Err(e) => Err(failure(&e, self.timeout_ms)),
        }
    }
}

fn aborted(signal: &JsValue) -> bool {
    Reflect::get(signal, &"aborted".into()).is_ok_and(|a| a.is_truthy())
}

/// The body as text; an abort while reading is the timeout.
pub async fn read_text(response: &Response, timeout_ms: u32) -> Result<String, Error> {
    let promise = response
        .text()
        .map_err(|_| network("the response body could not be read"))?;
    match JsFuture::from(promise).await {
        Ok(text) => Ok(text.as_string().unwrap_or_default()),
        Err(e) => Err(failure(&e, timeout_ms)),
    }
}

/// A rejected fetch: `TimeoutError` (AbortSignal.timeout) or a network failure.
fn failure(error: &JsValue, timeout_ms: u32) -> Error {
    let name = Reflect::get(error, &"name".into())
        .ok()
        .and_then(|n| n.as_string());
    match name.as_deref() {
        Some("TimeoutError" | "AbortError") => timeout(timeout_ms),
        _ => network("fetch failed before a response arrived (network, DNS, TLS or CORS)"),
    }
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Setting a property on a plain object cannot fail.
    let _ = Reflect::set(target, &key.into(), value);
}

fn network(message: &str) -> Error {
    Error::new(ErrorCode::NetworkError, message)
}

fn timeout(ms: u32) -> Error {
    Error::new(
        ErrorCode::Timeout,
        ["no response within ", &decimal(u64::from(ms)), " ms"].concat(),
    )
}
