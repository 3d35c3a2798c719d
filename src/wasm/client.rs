//! `OAuthClient` for JS: construction, starting flows, parsing callbacks.

use super::convert::{held, now_secs, string_arg, throw};
use super::record;
use crate::core::authorize::{StartOptions, StartParts};
use crate::core::callback::{callback_buffers, CallbackParts};
use crate::core::client::Client;
use crate::core::error::Error;
use crate::core::messages::Message;
use crate::core::random::Entropy;
use std::cell::Cell;
use std::ops::Range;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

mod results {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(module = "/src/wasm/results.js")]
    extern "C" {
        /// True in a browser page (a DOM), false in Workers and Node.
        #[wasm_bindgen(js_name = hasDocument)]
        pub fn has_document() -> bool;
        /// A Uint8Array over `length` bytes of `memory` from `address`.
        pub fn view(memory: JsValue, address: u32, length: u32) -> JsValue;
    }

    // They copy their view first (reviews 105, 107, 108), sizes given as
    // numbers. Not `catch` (6 % of a start): what app code throws on the
    // glue's way in unwinds the wasm (review 108 C), which the glue's
    // unwind.js and the client's release (`&self`) now survive.
    #[wasm_bindgen(module = "/src/wasm/results-full.js")]
    extern "C" {
        #[wasm_bindgen(js_name = startedBytes)]
        pub fn started(
            bytes: &[u8],
            size: u32,
            url_length: i32,
            state_length: i32,
            pending_length: i32,
            flow_expires_at: f64,
        ) -> JsValue;
        #[wasm_bindgen(js_name = callbackParts)]
        pub fn callback(
            bytes: &[u8],
            size: u32,
            code_length: i32,
            state_length: i32,
            payload_length: i32,
            iss_length: i32,
            flow_expires_at: f64,
            payload_verified: bool,
        ) -> JsValue;
    }
}

/// A configured client: the JS `OAuthClient` (io.js extends it with I/O).
/// `None` once `release` dropped it: io.js' `free()` calls that instead of
/// wasm-bindgen's, so a freed client answers `invalid_argument`, as the page
/// build's does, not wasm-bindgen's untyped "null pointer passed to rust"
/// (a second `free()` threw it too); the empty shell goes with the object.
#[wasm_bindgen]
pub struct OAuthClient {
    /// Each call holds its own count of the client, so `release` (`&self`)
    /// empties the slot even while a call runs: that call ends with its
    /// count, the last count drops the client. wasm-bindgen's borrow mark,
    /// which an unwound call leaves set for good, no longer refuses a
    /// release (`&mut self` did: review 104 A).
    inner: Cell<Option<Rc<Client>>>,
    /// A callback's byte buffer, kept for the next: no allocation, free or
    /// zeroing of ~1 KB a call.
    callback_bytes: Cell<Vec<u8>>,
    /// A start's output, kept for the next as `callback_bytes` (zeroed
    /// after each: it holds the verifier).
    start_bytes: Cell<Vec<u8>>,
    /// The last start's options and the record they were read from: a
    /// start with the same record (an app's usual scopes) reads, allocates
    /// and frees none of them again.
    last_start: Cell<Option<(String, StartOptions)>>,
    /// Set by `release`: read with `get`, not by taking `inner` out and
    /// back (a call's overflow between the two lost the client).
    released: Cell<bool>,
}

impl OAuthClient {
    /// The client, or `invalid_argument` once released.
    pub(super) fn client(&self) -> Result<Rc<Client>, JsValue> {
        held(&self.inner)
    }
}

#[wasm_bindgen]
impl OAuthClient {
    /// Checks every option; throws `OAuthError` on the first bad one.
    /// `record` is what options.js' `clientOptions` wrote, which io.js calls
    /// (it throws the first wrong field's `invalid_config`); `has_document`:
    /// a browser page (a DOM). One call into the wasm and none out: each
    /// distinct function on this path costs its first run in a Worker's
    /// first request (benches/README.md, seventeenth session).
    #[wasm_bindgen(constructor)]
    pub fn new(record: &str, has_document: bool) -> Result<OAuthClient, JsValue> {
        // `fetch` is a function, not data: options.js leaves it out (the JS
        // layer, io.js, takes it).
        let mut options = record::read_client(record);
        let inner = options
            .check_secret_placement(has_document)
            .and_then(|()| Client::from_input(&mut options))
            .map_err(throw)?;
        Ok(OAuthClient {
            inner: Cell::new(Some(Rc::from(inner))),
            callback_bytes: Cell::default(),
            start_bytes: Cell::default(),
            last_start: Cell::default(),
            released: Cell::default(),
        })
    }

    /// Drops the client's keys and options now (io.js' `free()`); every
    /// later call answers `invalid_argument`. Twice is a no-op.
    pub fn release(&self) {
        self.released.set(true);
        drop(self.inner.take());
        drop(self.last_start.take());
        // The last callback's code and unsealed pending value (review 128
        // C1); freed blocks are zeroed.
        drop(self.callback_bytes.take());
        drop(self.start_bytes.take());
        // The dead stack is zeroed by the glue once no export runs
        // (unwind.js, export `w`): here, under live frames, it could not
        // reach the top (review 136; review 128 C2's release during a call).
    }

    /// The preset's name.
    #[wasm_bindgen(getter)]
    pub fn provider(&self) -> Result<String, JsValue> {
        Ok(self.client()?.preset().name.to_owned())
    }

    /// The environment in use.
    #[wasm_bindgen(getter)]
    pub fn environment(&self) -> Result<String, JsValue> {
        Ok(self.client()?.environment().to_owned())
    }

    /// `{ url, state, pending, flowId, flowExpiresAt }`; store `pending`
    /// until the callback. `record` is what options.js' `startOptions`
    /// wrote, which io.js calls.
    #[wasm_bindgen(js_name = startAuthorization)]
    pub fn start_authorization(&self, record: String) -> Result<JsValue, JsValue> {
        self.start_kept(record)
    }
}

impl OAuthClient {
    /// Whether `release` has run: app code a call reaches (its clock, its
    /// random fill, an option getter) may run it during the call.
    fn released(&self) -> bool {
        self.released.get()
    }

    /// A call's buffer kept for the next, or dropped (zeroed as freed) when
    /// the client was released during the call (review 128 C1).
    fn keep(&self, cell: &Cell<Vec<u8>>, bytes: Vec<u8>) {
        if !self.released() {
            cell.set(bytes);
        }
    }

    /// The start, out of line: inlined into its export, full wasm +80 B
    /// gzip (2026-12-07).
    #[inline(never)]
    fn start_kept(&self, record: String) -> Result<JsValue, JsValue> {
        // Taken while the start runs: one re-entered from JS meanwhile
        // reads its own.
        let last = match self.last_start.take() {
            Some(last) if last.0 == record => last,
            _ => {
                let options = record::read_start(&record);
                (record, options)
            }
        };
        let answer = self.start_with(&last.1);
        // Kept only while the client is: a release during the start (an
        // app's free() in its clock or random fill) drops them (review 127 A).
        if !self.released() {
            self.last_start.set(Some(last));
        }
        answer
    }

    #[inline(always)]
    fn start_with(&self, options: &StartOptions) -> Result<JsValue, JsValue> {
        let entropy = Entropy::from_os().map_err(throw)?;
        // Empty (a start re-entered from JS meanwhile took it): 1 KiB, one
        // allocation for a usual start's 500-900 bytes.
        let mut out = self.start_bytes.take();
        if out.capacity() == 0 {
            out.reserve(1024);
        }
        // The count is held from here (a free() in the clock lets this
        // start answer), and dropped before the answer is made in JS.
        let mut parts = StartParts::default();
        let parts = self
            .client()?
            .write_start(options, now_secs(), &entropy, &mut out, &mut parts)
            .map(|()| parts)
            .map_err(throw);
        let answer = parts.map(|parts| {
            // All ASCII: byte lengths are JS's UTF-16 lengths.
            let length = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
            results::started(
                &out,
                length(out.len()) as u32,
                length(parts.url),
                length(parts.state),
                length(parts.pending),
                millis(parts.flow_expires_at),
            )
        });
        out.fill(0);
        out.clear();
        self.keep(&self.start_bytes, out);
        answer
    }
}

#[wasm_bindgen]
impl OAuthClient {
    /// `{ code, state, payload, iss, flowId, flowExpiresAt }`, or throws an
    /// `OAuthError`.
    #[wasm_bindgen(js_name = parseCallback)]
    pub fn parse_callback(
        &self,
        callback_url: JsValue,
        pending: JsValue,
    ) -> Result<JsValue, JsValue> {
        let callback_url = string_arg(&callback_url, "the callback URL")?;
        // null (sessionStorage.getItem found nothing) reads as "", which the
        // core names missing_pending.
        let pending = match pending.is_null_or_undefined() {
            true => String::new(),
            false => string_arg(&pending, "the pending value")?,
        };
        self.parse_callback_text(&callback_url, &pending)
    }

    /// `parseCallback` over the input region (io.js').
    // For two strings, which io.js calls when it has them:
    // both texts as TextEncoder's UTF-8, written by io.js into the module's
    // input region (`callbackInput`), the URL's from its start and the
    // pending value's from its middle. A `&str` went through a loop per
    // character in JS (1.3 µs of a callback's 4 for the bench's two texts),
    // and bytes passed as a `&[u8]` through a subarray, an allocation, a
    // copy and a free. (`//`: wasm-bindgen ships `///` in the glue.)
    #[wasm_bindgen(js_name = parseCallbackInput, skip_typescript)]
    #[cfg_attr(partner_oauth_nightly, optimize(speed))]
    pub fn parse_callback_input(
        &self,
        url_length: usize,
        pending_length: usize,
        now_ms: f64,
    ) -> Result<JsValue, JsValue> {
        let client = self.client()?;
        // No call into JS while the region is read and taken (the time comes
        // from io.js, read before it wrote the texts): a parseCallback
        // re-entered from one would write the region again (review 100 C),
        // and one that threw would leave it taken (review 100 B).
        let mut input = CALLBACK_INPUT.with(Cell::take);
        let half = input.len() / 2;
        let (url, pending) = input.split_at(half);
        let url = url
            .get(..url_length)
            .and_then(|b| std::str::from_utf8(b).ok());
        let pending = pending
            .get(..pending_length)
            .and_then(|b| std::str::from_utf8(b).ok());
        let mut bytes = self.callback_bytes.take();
        let checked = match (url, pending) {
            (None, _) => Err(Message::NotAString.with(&["the callback URL"])),
            (_, None) => Err(Message::NotAString.with(&["the pending value"])),
            // ms from io.js, as now_secs reads them
            (Some(url), Some(pending)) => {
                check_into(&client, &mut bytes, url, pending, (now_ms / 1000.0) as u64)
            }
        };
        // The texts read (the code, the pending value) are not left in the
        // region until the next callback (review 128 C1).
        if let Some(text) = input.get_mut(..url_length.min(half)) {
            text.fill(0);
        }
        if let Some(text) = input.get_mut(half..half + pending_length.min(half)) {
            text.fill(0);
        }
        CALLBACK_INPUT.with(|cell| cell.set(input));
        drop(client);
        let answer = answer(&bytes, checked);
        self.keep(&self.callback_bytes, bytes);
        answer
    }
}

/// Bytes io.js writes a callback's texts into: one region for the module,
/// allocated at its first callback and kept (its address stays what
/// `callbackInput` gave: the `Vec` is never resized). Held between calls,
/// as io.js' scratch buffer held them before.
const CALLBACK_INPUT_LENGTH: usize = 2 * 8192;

thread_local! {
    // Single-threaded (no `atomics`): a plain static.
    static CALLBACK_INPUT: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

// A Uint8Array over the callback input region (io.js makes it again once
// the memory has grown: its buffer is then detached).
#[wasm_bindgen(js_name = callbackInput, skip_typescript)]
pub fn callback_input() -> JsValue {
    let address = CALLBACK_INPUT.with(|cell| {
        let mut input = cell.take();
        if input.len() != CALLBACK_INPUT_LENGTH {
            input = vec![0; CALLBACK_INPUT_LENGTH];
        }
        let address = input.as_mut_ptr() as u32; // ok: wasm32 addresses
        cell.set(input);
        address
    });
    results::view(
        wasm_bindgen::memory(),
        address,
        CALLBACK_INPUT_LENGTH as u32, // ok: 16 KiB
    )
}

// For Rust callers with the options as JS values (tests/wasm): io.js'
// path, options.js then the wasm, without io.js. Not exported; the shipped
// wasm has none of it.
impl OAuthClient {
    /// `new OAuthClient(options)` as io.js calls it.
    pub fn from_options(options: JsValue) -> Result<OAuthClient, JsValue> {
        OAuthClient::new(&record::client_record(&options)?, results::has_document())
    }

    /// `startAuthorization(options)` as io.js calls it.
    pub fn start(&self, options: JsValue) -> Result<JsValue, JsValue> {
        self.start_authorization(record::start_record(&options)?)
    }
}

impl OAuthClient {
    /// Out of line: inlined into `parse_callback` (with the start's), full
    /// wasm +80 B gzip (2026-12-07).
    #[inline(never)]
    fn parse_callback_text(&self, callback_url: &str, pending: &str) -> Result<JsValue, JsValue> {
        let client = self.client()?;
        let now = now_secs();
        let mut bytes = self.callback_bytes.take();
        let checked = check_into(&client, &mut bytes, callback_url, pending, now);
        // No count held while JS makes the answer (app code may throw there).
        drop(client);
        let answer = answer(&bytes, checked);
        self.keep(&self.callback_bytes, bytes);
        answer
    }
}

/// The core's check of a callback into `bytes` (the client's buffer, the
/// last call's when long enough: no allocation, free or zeroing of ~1 KB a
/// call): the result's range in it. Calls no JS.
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
fn check_into(
    client: &Client,
    bytes: &mut Vec<u8>,
    url: &str,
    pending: &str,
    now: u64,
) -> Result<(Range<usize>, CallbackParts), Error> {
    let (bytes_len, names) = callback_buffers(url, pending);
    if bytes.len() < bytes_len {
        *bytes = vec![0; bytes_len];
    }
    let base = bytes.as_ptr() as usize;
    let mut parts = CallbackParts::default();
    client
        .check_callback(url, pending, now, bytes, &mut vec![0; names], &mut parts)
        .map(|out| {
            let at = (out.as_ptr() as usize).saturating_sub(base);
            (at..at.saturating_add(out.len()), parts)
        })
}

/// The result object, or the thrown error.
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
fn answer(
    bytes: &[u8],
    checked: Result<(Range<usize>, CallbackParts), Error>,
) -> Result<JsValue, JsValue> {
    match checked {
        Ok((out, parts)) => Ok(callback_result(bytes.get(out).unwrap_or_default(), parts)),
        Err(error) => Err(throw(error)),
    }
}

#[cfg_attr(partner_oauth_nightly, optimize(speed))]
fn callback_result(bytes: &[u8], parts: CallbackParts) -> JsValue {
    let length = |part: usize| part as i32; // ok: under CALLBACK_MAX + PENDING_MAX
    results::callback(
        bytes,
        bytes.len() as u32, // ok: under CALLBACK_MAX + PENDING_MAX
        length(parts.code),
        length(parts.state),
        parts.payload.map_or(-1, length),
        parts.iss.map_or(-1, length),
        millis(parts.flow_expires_at),
        parts.payload_verified,
    )
}

// Read by partner-oauth/worker's rate budget.
#[wasm_bindgen]
impl OAuthClient {
    /// Reads per second the preset's API allows one client application
    /// (PayFit: 50); `undefined` where no source says it is per application.
    #[wasm_bindgen(getter, js_name = rateLimitReads)]
    pub fn rate_limit_reads(&self) -> Result<Option<u32>, JsValue> {
        Ok(self
            .client()?
            .preset()
            .rate_limit
            .map(|r| r.reads_per_second))
    }

    /// Writes per second, as `rateLimitReads` (PayFit: 20).
    #[wasm_bindgen(getter, js_name = rateLimitWrites)]
    pub fn rate_limit_writes(&self) -> Result<Option<u32>, JsValue> {
        Ok(self
            .client()?
            .preset()
            .rate_limit
            .map(|r| r.writes_per_second))
    }

    /// The client id, to name the one rate budget per client application.
    #[wasm_bindgen(getter, js_name = clientId)]
    pub fn client_id(&self) -> Result<String, JsValue> {
        Ok(self.client()?.client_id().to_owned())
    }
}

/// `secs.saturating_mul(1000)` as JS's number: a u64 `saturating_mul` is a
/// 128-bit multiply (`__multi3`) on wasm32, this one `i64.mul`.
fn millis(secs: u64) -> f64 {
    match secs > u64::MAX / 1000 {
        true => u64::MAX as f64,
        false => (secs * 1000) as f64, // ok: ms since the epoch fit f64 exactly
    }
}
