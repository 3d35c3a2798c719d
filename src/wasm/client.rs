//! `OAuthClient` for JS.

use super::convert::{from_js, js_error, now_secs, page_has_dom, to_js};
use super::fetch::Transport;
use crate::core::authorize::StartOptions;
use crate::core::client::{Client, ClientOptions};
use crate::core::random::Entropy;
use js_sys::{Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct OAuthClient {
    pub(super) inner: Client,
    pub(super) transport: Transport,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StartedJs<'a> {
    url: &'a str,
    state: &'a str,
    pending: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CallbackJs<'a> {
    code: &'a str,
    state: &'a str,
    payload: Option<&'a str>,
    iss: Option<&'a str>,
}

#[wasm_bindgen]
impl OAuthClient {
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<OAuthClient, JsValue> {
        // `fetch` is a function, not data: take it out before parsing.
        let fetch = Reflect::get(&options, &"fetch".into()).unwrap_or(JsValue::UNDEFINED);
        let data = match options.dyn_ref::<Object>() {
            Some(object) => {
                let copy = Object::assign(&Object::new(), object);
                let _ = Reflect::delete_property(&copy, &"fetch".into());
                copy.into()
            }
            None => options,
        };
        let options: ClientOptions = from_js(data, "client options")?;
        options
            .check_secret_placement(page_has_dom())
            .map_err(|e| js_error(&e))?;
        let inner = Client::new(options).map_err(|e| js_error(&e))?;
        let transport = Transport::new(fetch, inner.timeout_ms()).map_err(|e| js_error(&e))?;
        Ok(OAuthClient { inner, transport })
    }

    #[wasm_bindgen(getter)]
    pub fn provider(&self) -> String {
        self.inner.preset().name.to_owned()
    }

    #[wasm_bindgen(getter)]
    pub fn environment(&self) -> String {
        self.inner.environment().to_owned()
    }

    /// `{ url, state, pending }`; store `pending` until the callback.
    #[wasm_bindgen(js_name = startAuthorization)]
    pub fn start_authorization(&self, options: JsValue) -> Result<JsValue, JsValue> {
        let options: StartOptions = if options.is_undefined() || options.is_null() {
            StartOptions::default()
        } else {
            from_js(options, "startAuthorization options")?
        };
        let entropy = Entropy::from_os().map_err(|e| js_error(&e))?;
        let started = self
            .inner
            .start_authorization(&options, now_secs(), &entropy)
            .map_err(|e| js_error(&e))?;
        to_js(&StartedJs {
            url: &started.url,
            state: &started.state,
            pending: started.pending.expose(),
        })
    }

    /// `{ code, state, payload, iss }`, or throws an `OAuthError`.
    #[wasm_bindgen(js_name = parseCallback)]
    pub fn parse_callback(&self, callback_url: &str, pending: &str) -> Result<JsValue, JsValue> {
        let callback = self
            .inner
            .parse_callback(callback_url, pending, now_secs())
            .map_err(|e| js_error(&e))?;
        to_js(&CallbackJs {
            code: callback.code.expose(),
            state: &callback.state,
            payload: callback.payload.as_deref(),
            iss: callback.iss.as_deref(),
        })
    }
}
