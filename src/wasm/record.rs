//! Client and start options as options.js wrote them: checked there by the
//! one strict reader of both builds, and flat here (no JSON in the module).
//! Each value is `~` (absent) or `<UTF-8 length>:<text>`; a list is its
//! count, then its items; an object is a mark, then its fields; a choice
//! (`pkce`, `grants`' items…) is its index in its `NAMES` table. Both
//! builds' JS calls options.js and passes the record in: io.js to the full
//! build's `OAuthClient` (client.rs), the page build's glue to `read_client`
//! (raw.rs).

use crate::core::authorize::StartOptions;
use crate::core::client::{ClientInput, DEFAULT_STATE_MAX_AGE, DEFAULT_TIMEOUT_MS};
#[cfg(feature = "server")]
use crate::core::preset::{BodyEncoding, ClientAuth, IntrospectionRequest};
use crate::core::preset::{Overrides, Pkce, PresetPatch, ResponseType, Supported};
use crate::core::secret::Secret;
use crate::core::text::owned;
#[cfg(not(feature = "server"))]
use crate::core::text::split_at_byte;
#[cfg(not(feature = "server"))]
use crate::wasm::raw::filled;
#[cfg(feature = "server")]
use wasm_bindgen::prelude::*;

// options.js for Rust callers with JS values (client.rs' `from_options`,
// tests/wasm); io.js calls it itself.
#[cfg(feature = "server")]
#[wasm_bindgen(module = "/src/wasm/options.js")]
extern "C" {
    /// Throws the `invalid_config` OAuthError of the first wrong field.
    #[wasm_bindgen(js_name = clientOptions, catch)]
    pub fn client_record(value: &JsValue) -> Result<String, JsValue>;
    #[wasm_bindgen(js_name = startOptions, catch)]
    pub fn start_record(value: &JsValue) -> Result<String, JsValue>;
}

/// A number of the record: the full build's `u64`; the page's `u32`
/// (`digits`, saturated).
#[cfg(feature = "server")]
type Number = u64;
#[cfg(not(feature = "server"))]
type Number = u32;

/// A number as the options' `u64`.
#[allow(clippy::useless_conversion)]
fn wide(n: Number) -> u64 {
    u64::from(n)
}

/// What the page's `digits` and `Record::number` answer for `None`.
#[cfg(not(feature = "server"))]
const NONE: u32 = u32::MAX;

/// The page's `digits`: a `u32` returned in a register, not an `Option`
/// through memory at each read (page −84 B gzip); `NONE` for `None`, and
/// a number from `NONE` up to `u64::MAX` saturated below it. Each number
/// the page reads is refused from there as it was above: a length or
/// count past the bytes left, an index past its table, `stateMaxAge` and
/// `timeoutMs` out of range.
#[cfg(not(feature = "server"))]
#[inline(never)]
fn digits(text: &str) -> u32 {
    digits_u64(text).map_or(NONE, |n| n.min(u64::from(NONE - 1)) as u32) // ok: bounded above
}

#[cfg(feature = "server")]
fn digits(text: &str) -> Option<u64> {
    digits_u64(text)
}

/// A decimal number (the lengths, counts and whole numbers options.js
/// wrote); `None` past `u64::MAX`.
#[cfg_attr(not(feature = "server"), inline(always))]
fn digits_u64(text: &str) -> Option<u64> {
    let mut n = 0u64;
    for b in text.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        // Not `checked_mul`: a u64 one is a 128-bit multiply on wasm32.
        let digit = u64::from(b - b'0');
        if n > (u64::MAX - digit) / 10 {
            return None;
        }
        n = n * 10 + digit;
    }
    Some(n)
}

struct Record<'a> {
    rest: &'a str,
    /// The page's last value read (`read`).
    #[cfg(not(feature = "server"))]
    value: &'a str,
}

impl<'a> Record<'a> {
    /// The next value; `None` for `~` (absent) or a malformed record.
    // The full build's: one loop over the bytes. `strip_prefix`,
    // `split_at_byte` and `digits` were calls (and calls of theirs) for a
    // few bytes: 1.06x a start. No digit before the `:`, or too many, is
    // `None` as below. The page keeps the calls (the loop: +64 B gzip).
    #[cfg(feature = "server")]
    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.rest.as_bytes();
        if bytes.first() == Some(&b'~') {
            self.rest = self.rest.get(1..).unwrap_or_default();
            return None;
        }
        let mut length = 0usize;
        let mut at = 0;
        loop {
            match bytes.get(at).copied() {
                Some(b':') => break,
                Some(b @ b'0'..=b'9') => {
                    length = length.checked_mul(10)?.checked_add(usize::from(b - b'0'))?
                }
                _ => return None,
            }
            at += 1;
        }
        let (value, rest) = self.rest.get(at + 1..)?.split_at_checked(length)?;
        self.rest = rest;
        Some(value)
    }

    /// The page's `next`: the value left in `value`, `false` for `None`
    /// (a `bool` in a register, not an `Option` through memory).
    #[cfg(not(feature = "server"))]
    #[inline(never)]
    fn read(&mut self) -> bool {
        // A `&str` pattern: a `char` one encoded the char on every call.
        if let Some(rest) = self.rest.strip_prefix("~") {
            self.rest = rest;
            return false;
        }
        let Some((length, rest)) = split_at_byte(self.rest, b':') else {
            return false;
        };
        // `NONE` (no number) fails the split as `None` did: no text in
        // memory is 4 GiB long.
        let Some((value, rest)) = rest.split_at_checked(digits(length) as usize) else {
            return false;
        };
        self.value = value;
        self.rest = rest;
        true
    }

    #[cfg(not(feature = "server"))]
    #[inline(always)]
    fn next(&mut self) -> Option<&'a str> {
        self.read().then_some(self.value)
    }

    /// Passes over `count` values. Out of line: its two loops were inlined.
    #[cfg(not(feature = "server"))]
    #[inline(never)]
    fn skip(&mut self, count: usize) {
        for _ in 0..count {
            self.next();
        }
    }

    fn string(&mut self) -> Option<String> {
        self.next().map(owned)
    }

    /// A list's item: absent is empty (an empty text allocates nothing).
    /// Through `string`: one copy of `to_owned`'s call.
    #[cfg(feature = "server")]
    fn item(&mut self) -> String {
        self.string().unwrap_or_default()
    }

    /// The page's: the text absent is empty, copied (`owned` of an empty
    /// text allocates nothing). Out of line: page −8 B gzip.
    #[cfg(not(feature = "server"))]
    #[inline(never)]
    fn item(&mut self) -> String {
        owned(self.next().unwrap_or_default())
    }

    /// A list's count, at most the bytes left (each item takes two or more):
    /// a count over a short record cannot loop on (review 60, C3: 10^11
    /// empty items pushed until memory ran out). Inlined: page −8 B gzip.
    #[cfg_attr(not(feature = "server"), inline(always))]
    fn count(&mut self) -> Option<usize> {
        let count = self.u64()?;
        // One comparison: a count within the bytes left fits a `usize`.
        (wide(count) <= self.rest.len() as u64).then_some(count as usize) // ok: bounded above
    }

    // Loops that push, not `(0..count).map(..).collect()`: its `Range<u64>`
    // size hint and extend routines were a copy per list type.
    #[cfg(feature = "server")]
    fn list(&mut self) -> Option<Vec<String>> {
        let count = self.count()?;
        let mut items = Vec::new();
        for _ in 0..count {
            items.push(self.item());
        }
        Some(items)
    }

    /// The page's lists are written at their count (raw.rs' `filled`): no
    /// `push`, whose growth path left the page.
    #[cfg(not(feature = "server"))]
    fn list(&mut self) -> Option<Vec<String>> {
        let count = self.count()?;
        Some(filled(count, || self.item()))
    }

    /// A list of secrets (`stateKey`), each wrapped as it is read. Out of
    /// line in the page: inlined into the constructor it was +38 B gzip
    /// (the full build +19 B out of line).
    #[cfg_attr(not(feature = "server"), inline(never))]
    fn secrets(&mut self) -> Option<Vec<Secret>> {
        let count = self.count()?;
        #[cfg(not(feature = "server"))]
        return Some(filled(count, || Secret::new(self.item())));
        #[cfg(feature = "server")]
        {
            let mut items = Vec::new();
            for _ in 0..count {
                items.push(Secret::new(self.item()));
            }
            Some(items)
        }
    }

    /// The `grants` option (options.js let only known names through).
    #[cfg(feature = "server")]
    fn supported(&mut self) -> Option<Vec<Supported>> {
        let count = self.count()?;
        let mut items = Vec::new();
        for _ in 0..count {
            if let Some(value) = self.choice(&Supported::VALUES) {
                items.push(value);
            }
        }
        Some(items)
    }

    /// The page build's `grants` option: the set of its entries' bits
    /// (`Supported::bit`: 1 shifted by the index options.js wrote).
    #[cfg(not(feature = "server"))]
    fn supported(&mut self) -> Option<u8> {
        let count = self.count()?;
        let mut bits = 0;
        for _ in 0..count {
            if let Some(index) = self
                .u64()
                .filter(|&index| index < Supported::VALUES.len() as Number)
            {
                bits |= 1 << index;
            }
        }
        Some(bits)
    }

    fn pairs(&mut self) -> Option<Vec<(String, String)>> {
        let count = self.count()?;
        #[cfg(not(feature = "server"))]
        return Some(filled(count, || (self.item(), self.item())));
        #[cfg(feature = "server")]
        {
            let mut pairs = Vec::new();
            for _ in 0..count {
                let name = self.item();
                pairs.push((name, self.item()));
            }
            Some(pairs)
        }
    }

    /// `t` is true. Out of line in the page (see `item`).
    #[cfg_attr(not(feature = "server"), inline(never))]
    fn bool(&mut self) -> Option<bool> {
        self.next().map(|flag| flag == "t")
    }

    #[cfg(feature = "server")]
    fn u64(&mut self) -> Option<Number> {
        digits(self.next()?)
    }

    /// The page's number, `NONE` for `None` (see `digits`).
    #[cfg(not(feature = "server"))]
    #[inline(never)]
    fn number(&mut self) -> u32 {
        self.next().map_or(NONE, digits)
    }

    #[cfg(not(feature = "server"))]
    #[inline(always)]
    fn u64(&mut self) -> Option<Number> {
        Some(self.number()).filter(|&n| n != NONE)
    }

    /// A choice, as its index in a `NAMES` table (options.js checked the
    /// name): `values` is the table's `VALUES`, without the names.
    fn choice<T: Copy>(&mut self, values: &[T]) -> Option<T> {
        let index = usize::try_from(self.u64()?).ok()?;
        values.get(index).copied()
    }
}

/// The `endpoints` object's five URLs, read by one loop into the input
/// (none when its mark is absent): not an `Option` of them to copy out.
fn endpoints<'a>(r: &mut Record<'a>) -> [Option<&'a str>; 5] {
    let present = r.next().is_some();
    five(r, present)
}

/// Five values, or none (`read` false): the client's texts and endpoints
/// by one loop, out of line in the page (−7 B gzip; the full build reads
/// its texts by their own loop: +48 B through this one).
#[cfg_attr(not(feature = "server"), inline(never))]
fn five<'a>(r: &mut Record<'a>, read: bool) -> [Option<&'a str>; 5] {
    #[cfg(not(feature = "server"))]
    return std::array::from_fn(|_| (read && r.read()).then_some(r.value));
    #[cfg(feature = "server")]
    std::array::from_fn(|_| read.then(|| r.next()).flatten())
}

/// The `preset` object: `None` when its mark is absent. Out of line in
/// the page: inlined into `read_client` it was +24 B gzip there (the full
/// build +21 B out of line).
#[cfg_attr(not(feature = "server"), inline(never))]
fn patch(r: &mut Record) -> Option<PresetPatch> {
    r.next()?;
    let response_type = r.bool().map(|send| match send {
        true => ResponseType::Code,
        false => ResponseType::Omitted,
    });
    let pkce = r.choice(&Pkce::VALUES);
    // The page build keeps no exchange option (`PresetPatch` has none
    // there): it passes over their values.
    #[cfg(feature = "server")]
    let (client_auth, token_body) = (
        r.choice(&ClientAuth::VALUES),
        r.choice(&BodyEncoding::VALUES),
    );
    #[cfg(not(feature = "server"))]
    r.skip(2);
    let redirect_uri_query_allowed = r.bool();
    #[cfg(feature = "server")]
    let (never_expires, default_lifetime, refresh_token_lifetime, introspection) = (
        r.bool(),
        r.u64(),
        r.u64(),
        r.choice(&IntrospectionRequest::VALUES),
    );
    #[cfg(not(feature = "server"))]
    r.skip(4);
    Some(PresetPatch {
        response_type,
        pkce,
        #[cfg(feature = "server")]
        client_auth,
        #[cfg(feature = "server")]
        token_body,
        redirect_uri_query_allowed,
        #[cfg(feature = "server")]
        never_expires,
        #[cfg(feature = "server")]
        default_lifetime,
        #[cfg(feature = "server")]
        refresh_token_lifetime,
        #[cfg(feature = "server")]
        introspection,
        overrides: Overrides {
            supported: r.supported(),
            scope_separator: r.string(),
            authorize_params: r.pairs(),
            code_params: r.list(),
            issuer: r.string(),
        },
    })
}

/// Client options from the record options.js' `clientOptions` wrote, their
/// texts borrowed from it.
// Not inlined into `client_new`: there its values were kept in locals,
// then stored into the options one by one (−16 B gzip).
#[inline(never)]
pub fn read_client(text: &str) -> ClientInput<'_> {
    let r = &mut Record {
        rest: text,
        #[cfg(not(feature = "server"))]
        value: "",
    };
    ClientInput {
        // One loop for the five texts first: five calls were five copies
        // of the call and its answer's loads.
        #[cfg(not(feature = "server"))]
        texts: five(r, true),
        #[cfg(feature = "server")]
        texts: std::array::from_fn(|_| r.next()),
        state_key: r.secrets(),
        endpoints: endpoints(r),
        preset: patch(r),
        state_max_age: r.u64().map_or(DEFAULT_STATE_MAX_AGE, wide),
        timeout_ms: r.u64().map_or(u64::from(DEFAULT_TIMEOUT_MS), wide),
        dangerously_allow_secret_in_browser: r.bool().unwrap_or(false),
    }
}

/// startAuthorization options from the record options.js' `startOptions`
/// wrote.
// Inlined in the page (one caller, `t`): −15 B gzip against out of line.
#[cfg_attr(not(feature = "server"), inline(always))]
pub fn read_start(text: &str) -> StartOptions {
    let r = &mut Record {
        rest: text,
        #[cfg(not(feature = "server"))]
        value: "",
    };
    StartOptions {
        scopes: r.list().unwrap_or_default(),
        payload: r.string(),
        token_kind: r.string(),
        params: r.pairs().unwrap_or_default(),
    }
}
