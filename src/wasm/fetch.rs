//! Sends a core `HttpRequest` through the caller's `fetch` (default
//! `globalThis.fetch`) with an AbortSignal timeout. Never retries: an
//! authorization code is single use.

use crate::core::error::{Error, ErrorCode};
use crate::core::request::HttpRequest;
use crate::core::response::HttpResponse;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Response};

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

    /// Sends and reads the whole body as text.
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
        let (response, timer) = self.call(&request.url, &init).await?;
        let body = read_text(&response).await;
        timer.clear();
        Ok(HttpResponse {
            status: response.status(),
            www_authenticate: response.headers().get("www-authenticate").ok().flatten(),
            body: body?,
        })
    }

    /// Calls fetch with `init` plus a timeout signal; the timer is still
    /// running so the caller can cover reading the body too.
    pub async fn call(&self, url: &str, init: &Object) -> Result<(Response, Timer), Error> {
        let controller =
            AbortController::new().map_err(|_| network("AbortController is missing"))?;
        if Reflect::get(init, &"signal".into()).map_or(true, |s| s.is_undefined()) {
            set(init, "signal", &controller.signal());
        }
        let fetch = self.fetch()?;
        let timer = Timer::start(controller.clone(), self.timeout_ms);
        let started = fetch.call2(&js_sys::global(), &url.into(), init);
        let outcome = match started {
            Ok(promise) => JsFuture::from(Promise::resolve(&promise)).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok(value) => match value.dyn_into::<Response>() {
                Ok(response) => Ok((response, timer)),
                Err(_) => Err(network("fetch did not resolve to a Response")),
            },
            Err(_) if controller.signal().aborted() => Err(timeout(self.timeout_ms)),
            Err(_) => Err(network(
                "fetch failed before a response arrived (network, DNS, TLS or CORS)",
            )),
        }
    }
}

pub async fn read_text(response: &Response) -> Result<String, Error> {
    let promise = response
        .text()
        .map_err(|_| network("the response body could not be read"))?;
    match JsFuture::from(promise).await {
        Ok(text) => Ok(text.as_string().unwrap_or_default()),
        Err(_) => Err(network(
            "the response body could not be read (aborted or reset)",
        )),
    }
}

/// A `setTimeout` that aborts the request; cleared once the body is read.
pub struct Timer(JsValue);

impl Timer {
    fn start(controller: AbortController, ms: u32) -> Timer {
        let abort = Closure::once_into_js(move || controller.abort());
        let id = global_fn("setTimeout")
            .and_then(|f| f.call2(&js_sys::global(), &abort, &ms.into()).ok())
            .unwrap_or(JsValue::UNDEFINED);
        Timer(id)
    }

    pub fn clear(self) {
        if let Some(f) = global_fn("clearTimeout") {
            let _ = f.call1(&js_sys::global(), &self.0);
        }
    }
}

fn global_fn(name: &str) -> Option<Function> {
    Reflect::get(&js_sys::global(), &name.into())
        .ok()?
        .dyn_into()
        .ok()
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Setting a property on a plain object cannot fail.
    let _ = Reflect::set(target, &key.into(), value);
}

fn network(message: &str) -> Error {
    Error::new(ErrorCode::NetworkError, message)
}

fn timeout(ms: u32) -> Error {
    Error::new(ErrorCode::Timeout, format!("no response within {ms} ms"))
}
