//! The redirect back from the provider (RFC 6749 §4.1.2): read the code or
//! the error, and check the state against the pending value.

use crate::core::client::Client;
use crate::core::ct;
use crate::core::encoding::b64url_in_place;
use crate::core::error::{Error, Result};
use crate::core::messages::{refuse, Message};
use crate::core::names;
use crate::core::pending::{self, Pending, PendingView, PENDING_MAX};
use crate::core::secret::Secret;
use crate::core::state;
#[cfg(not(feature = "server"))]
use crate::core::text::is_utf8_without;
#[cfg(feature = "server")]
use crate::core::text::{find_bytes, utf8};
use crate::core::text::{has_control, split_at_byte, strip_byte};
use crate::core::urls;

/// The longest callback URL accepted.
pub const CALLBACK_MAX: usize = 16_384;

/// A successful callback (RFC 6749 §4.1.2) whose state matched its pending
/// flow: the code to exchange and what the flow carried.
#[derive(Debug)]
pub struct Callback {
    /// The authorization code, to exchange at the token endpoint (§4.1.3).
    pub code: Secret,
    /// The `state` the provider returned, equal to the flow's.
    pub state: String,
    /// The payload given to [`Client::start_authorization`].
    pub payload: Option<String>,
    /// True when the pending value was sealed with a stateKey and its seal
    /// verified. False for an unsealed one: its payload and the flow's age
    /// are then only as trustworthy as wherever it was stored.
    pub payload_verified: bool,
    /// The `iss` parameter (RFC 9207), when the provider sent one.
    pub iss: Option<String>,
    /// Names this flow (its state's nonce). A pending value is single use:
    /// once a callback is parsed, delete it; to refuse a replayed callback
    /// across servers, record `flow_id` as used until `flow_expires_at`.
    pub flow_id: String,
    /// When the flow would expire anyway (seconds since the epoch): its
    /// callback is refused from then on.
    pub flow_expires_at: u64,
}

/// A checked callback as [`Client::check_callback`] writes it: the byte
/// lengths of its parts, one after another in its output (code, state,
/// payload, iss, then the flow id to the end).
#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
#[derive(Clone, Copy, Debug, Default)]
pub struct CallbackParts {
    /// As [`Callback::code`].
    pub code: usize,
    /// As [`Callback::state`].
    pub state: usize,
    /// As [`Callback::payload`].
    pub payload: Option<usize>,
    /// As [`Callback::iss`].
    pub iss: Option<usize>,
    /// As [`Callback::payload_verified`].
    pub payload_verified: bool,
    /// As [`Callback::flow_expires_at`].
    pub flow_expires_at: u64,
}

/// The page: the six numbers `c` answers, as it sends them (the lengths of
/// code, state, payload and iss, -1 for none; `flow_expires_at` in ms; 1
/// when the payload is verified), written once, in the answer's slots
/// (raw.rs' `numbers`): not built on `c`'s stack and copied there.
#[cfg(all(target_arch = "wasm32", not(feature = "server")))]
pub type CallbackParts = [f64; 6];

/// The parts of [`Client::check_callback`]'s output, in order.
pub struct CallbackText<'t> {
    /// The code (a secret: the caller wraps or hands it on).
    pub code: &'t str,
    /// The state.
    pub state: &'t str,
    /// The flow's payload.
    pub payload: Option<&'t str>,
    /// The `iss` parameter.
    pub iss: Option<&'t str>,
    /// The flow id.
    pub flow_id: &'t str,
}

#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
impl CallbackParts {
    /// Cuts `bytes` (the output these lengths describe) into its parts.
    pub fn split<'t>(&self, bytes: &'t [u8]) -> CallbackText<'t> {
        let mut rest = bytes;
        // Each part was checked to be UTF-8 as it was read.
        let mut cut = |len: usize| {
            let (part, after) = rest.split_at_checked(len).unwrap_or((rest, &[]));
            rest = after;
            std::str::from_utf8(part).unwrap_or_default()
        };
        let code = cut(self.code);
        let state = cut(self.state);
        let payload = self.payload.map(&mut cut);
        let iss = self.iss.map(&mut cut);
        CallbackText {
            code,
            state,
            payload,
            iss,
            flow_id: cut(usize::MAX),
        }
    }
}

/// The lengths of the two buffers [`Client::check_callback`] needs for these
/// inputs (longer ones are refused before either is used): bytes, and one
/// name offset a query pair.
pub fn callback_buffers(callback: &str, pending: &str) -> (usize, usize) {
    let [pending, _, query, out] = regions(callback, pending);
    (
        2 * pending + query + out,
        callback.len().min(CALLBACK_MAX) / 2 + 1,
    )
}

/// The byte buffer's regions, each as long as its contents can be: the
/// pending value unsealed and its state decoded (each no longer than the
/// pending value), the query's pairs decoded (at most two bytes a pair
/// more than the query), and the output (the code and iss from the query,
/// the state and payload from the pending value, the flow id). Sized by
/// the input: stack arrays of the longest (9 KB zeroed a call) measured
/// 0.95x main's callbacks, these 1.0x.
fn regions(callback: &str, pending: &str) -> [usize; 4] {
    let query = callback.len().min(CALLBACK_MAX);
    let pending = pending.len().min(PENDING_MAX);
    [
        pending,
        pending,
        2 * query + 2,
        2 * query + 2 * pending + 22,
    ]
}

impl Client {
    /// Reads the redirect back from the provider (RFC 6749 §4.1.2): checks
    /// its `state` against `pending` in constant time, the flow's age, and
    /// `iss` when the preset expects one (RFC 9207); returns the code, or the
    /// provider's error (§4.1.2.1) as a typed error. `callback` is the full
    /// redirect URL, a path and its query (Node's `req.url`), or just its
    /// query string. Not in the page, whose callback is raw.rs' `c` (its
    /// parts are numbers).
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub fn parse_callback(&self, callback: &str, pending: &str, now: u64) -> Result<Callback> {
        let (bytes, names) = callback_buffers(callback, pending);
        let (mut bytes, mut names) = (vec![0; bytes], vec![0; names]);
        let mut parts = CallbackParts::default();
        let text =
            self.check_callback(callback, pending, now, &mut bytes, &mut names, &mut parts)?;
        let text = parts.split(text);
        Ok(Callback {
            code: Secret::new(text.code),
            state: text.state.to_owned(),
            payload: text.payload.map(str::to_owned),
            payload_verified: parts.payload_verified,
            iss: text.iss.map(str::to_owned),
            flow_id: text.flow_id.to_owned(),
            flow_expires_at: parts.flow_expires_at,
        })
    }

    /// [`Self::parse_callback`] without allocating: the pending value, its
    /// state and the query are decoded into `bytes` and the result written
    /// after them, sized by [`callback_buffers`] as `names` is. Returns the
    /// result (code, state, payload, iss, flow id, one after another, each
    /// UTF-8); its parts' lengths are written into `parts` (not moved out
    /// through the `Result`).
    // Inlined into the page's one caller by LLVM, not later by wasm-opt:
    // `parts` and the `Result` then stay out of memory (page -139 B gzip).
    #[cfg_attr(partner_oauth_nightly, optimize(speed))]
    #[cfg_attr(not(feature = "server"), inline(always))]
    pub fn check_callback<'b>(
        &self,
        callback: &str,
        pending: &str,
        now: u64,
        bytes: &'b mut [u8],
        names: &mut [u16],
        parts: &mut CallbackParts,
    ) -> Result<&'b [u8]> {
        let [unsealed, state, decoded, _] = regions(callback, pending);
        let (unsealed, bytes) = bytes.split_at_mut(unsealed.min(bytes.len()));
        let (decoded_state, bytes) = bytes.split_at_mut(state.min(bytes.len()));
        let (decoded, out) = bytes.split_at_mut(decoded.min(bytes.len()));
        let keys = self.keys.as_ref();
        let unsealed = Pending::unseal_into(given(pending)?, keys, unsealed)?;
        // As `PendingView::read`, its fields read where they are written.
        let mut fields = [None; 7];
        let created_at = pending::read_fields(unsealed, &mut fields);
        let (
            Some(&created_at),
            [Some(provider), Some(client_id), Some(environment), Some(state), Some(_), ..],
        ) = (created_at, fields)
        else {
            return refuse(Message::PendingMalformed);
        };
        let created_at = u64::from_be_bytes(created_at);
        self.check_owner(provider, client_id, environment)?;
        let params = callback_params(callback, decoded, names).map_err(Message::error)?;
        let get = |name: &str| params.get(name);
        let error = get("error");
        // The provider's error at one site, after the state's checks when
        // there is a state (page -13 B gzip before the order). Some servers
        // drop state on an error: the error still stands.
        let (data, iss) = {
            let checked = match get("state") {
                Some(received) => {
                    if !ct::eq(received, state.as_bytes()) {
                        return refuse(Message::CallbackStateOfAnotherFlow);
                    }
                    state::check_age(created_at, now, self.state_max_age)?;
                    let data = state::read(state, keys, now, self.state_max_age, decoded_state)?;
                    let iss = get("iss");
                    // RFC 9207 §2.4: a client that expects an issuer refuses
                    // responses without `iss` too, or a mix-up attacker would
                    // simply drop it.
                    match (self.issuer(), iss) {
                        (Some(expected), Some(received)) if expected.as_bytes() != received => {
                            return refuse(Message::CallbackIssOfAnotherIssuer);
                        }
                        (Some(_), None) => return refuse(Message::CallbackWithoutIss),
                        _ => {}
                    }
                    Some((data, iss))
                }
                None => None,
            };
            if let Some(error) = error {
                return Err(provider_error(error, &params));
            }
            let Some(checked) = checked else {
                return refuse(Message::CallbackWithoutState);
            };
            checked
        };
        // One loop over either list of names: one `get` call site.
        let mut i = 0;
        let code = loop {
            let name = match &self.overrides.code_params {
                Some(names) => names.get(i).map(String::as_str),
                None => self.preset.code_params.get(i).copied(),
            };
            match name.map(get) {
                None => break None,
                Some(None) => i += 1,
                Some(code) => break code,
            }
        };
        let code = match code {
            Some(code) if !code.is_empty() => code,
            _ => return refuse(Message::CallbackWithoutCode),
        };
        let payload = data.payload.map(str::as_bytes);
        // The nonce is copied into the output and base64url'd there: no
        // String's allocation and growth (~3 % of a callback in the full
        // build; in the page build 4 B less wasm than `b64url`'s String).
        let flow_id = data.nonce;
        // One call a part, no array of them on the stack (page -8 B gzip
        // before the order): a part that does not fit ends at `usize::MAX`,
        // and so does every part after it.
        let mut at = {
            let at = place(out, 0, code);
            let at = place(out, at, state.as_bytes());
            let at = place(out, at, payload.unwrap_or_default());
            let at = place(out, at, iss.unwrap_or_default());
            place(out, at, &flow_id[..])
        };
        // The flow id's 16 bytes become 22 in place: `callback_buffers`
        // leaves room for them, and a shorter buffer (0 written: no room
        // for 22, or a part past it at `usize::MAX`) is refused, not
        // answered without the flow id (review 150). One test for both.
        let nonce = at.wrapping_sub(flow_id.len());
        let written = b64url_in_place(out.get_mut(nonce..).unwrap_or_default(), flow_id.len());
        if written == 0 {
            return refuse(Message::CallbackNoRoom);
        }
        at = nonce + written; // ok: `written` bytes from `nonce` are within `out`
        let flow_expires_at = state::expires_at(created_at, self.state_max_age);
        // `Pending::open` with keys refuses anything unsealed.
        let payload_verified = self.keys.is_some();
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        let checked = CallbackParts {
            code: code.len(),
            state: state.len(),
            payload: payload.map(<[u8]>::len),
            iss: iss.map(<[u8]>::len),
            payload_verified,
            flow_expires_at,
        };
        #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
        let checked = {
            let or_null = |part: Option<&[u8]>| part.map_or(-1.0, |part| part.len() as f64);
            [
                code.len() as f64,
                state.len() as f64,
                or_null(payload),
                or_null(iss),
                state::milliseconds(flow_expires_at),
                f64::from(u8::from(payload_verified)),
            ]
        };
        *parts = checked;
        let out: &'b [u8] = out;
        Ok(out.get(..at).unwrap_or_default())
    }

    /// Opens a pending value and checks it belongs to this client: same
    /// provider, client id and environment (a sandbox flow never finishes
    /// in production).
    pub fn open_pending(&self, pending: &str) -> Result<Pending> {
        let bytes = self.unseal_pending(pending)?;
        self.pending_view(&bytes).map(|view| view.to_owned())
    }

    pub(crate) fn unseal_pending(&self, pending: &str) -> Result<Vec<u8>> {
        Pending::unseal(given(pending)?, self.keys.as_ref())
    }

    /// The fields of an unsealed pending value, once checked to be this
    /// client's.
    #[cfg_attr(partner_oauth_nightly, optimize(speed))]
    pub(crate) fn pending_view<'a>(&self, bytes: &'a [u8]) -> Result<PendingView<'a>> {
        let pending = PendingView::read(bytes)?;
        self.check_owner(pending.provider, pending.client_id, pending.environment)?;
        Ok(pending)
    }

    /// Refuses a pending value of another client: by reference, so the
    /// callback's view is not moved through one more `Result`.
    #[cfg_attr(partner_oauth_nightly, optimize(speed))]
    // Page: LLVM inlines it into the callback (why: `check_callback`).
    #[cfg_attr(not(feature = "server"), inline(always))]
    fn check_owner(&self, provider: &str, client_id: &str, environment: &str) -> Result<()> {
        if provider != self.preset.name
            || client_id != self.client_id
            || environment != self.environment
        {
            return Err(Message::PendingOfAnotherClient.with(&[self.preset.name, self.environment]));
        }
        Ok(())
    }
}

/// Copies `part` into `out` from `at`; where it ends, or `usize::MAX` when
/// it does not fit (past every buffer: the next part does not fit either).
#[inline(never)]
fn place(out: &mut [u8], at: usize, part: &[u8]) -> usize {
    match out
        .get_mut(at..)
        .and_then(|rest| rest.get_mut(..part.len()))
    {
        Some(slot) => {
            slot.copy_from_slice(part);
            at + part.len() // ok: the slot ends there, within `out`
        }
        None => usize::MAX,
    }
}

/// A refusal whose message has no variable part: the error is made once,
/// where the reader is called, not at each of its exits.
type Refused<T> = std::result::Result<T, Message>;

/// A pending value, unless it is missing.
fn given(pending: &str) -> Result<&str> {
    match pending.is_empty() {
        true => refuse(Message::PendingMissing),
        false => Ok(pending),
    }
}

/// The callback's query parameters, decoded into `bytes`. Refuses
/// duplicates (RFC 6749 §3.1), a response in the fragment, and input that
/// carries no OAuth parameter.
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
fn callback_params<'b>(
    callback: &str,
    bytes: &'b mut [u8],
    names: &'b mut [u16],
) -> Refused<Params<'b>> {
    if callback.len() > CALLBACK_MAX {
        return Err(Message::CallbackTooLong);
    }
    // A path (`/…`) is never a whole URL, whatever its query holds (an
    // unencoded `iss=https://…`). A byte test: `starts_with('/')` encoded
    // the char on the stack and compared with `memcmp`.
    let path = callback.as_bytes().first() == Some(&b'/');
    // A whole URL's `://` follows its scheme, before any `=`; a bare
    // query's (an unencoded `iss=https://…`) follows one. One loop over the
    // bytes: a search for `://` then for `=` before it was +24 B gzip.
    let mut rest = callback.as_bytes();
    let url = loop {
        match rest {
            [] | [b'=', ..] => break false,
            [b':', b'/', b'/', ..] => break !path,
            [_, after @ ..] => rest = after,
        }
    };
    // A whole URL is only checked: its query and fragment are where a
    // path's are (its scheme holds no `?` or `#`).
    if url && urls::parse(callback).is_none() {
        return Err(Message::CallbackNotUrl);
    }
    let (text, fragment) = match split_at_byte(callback, b'#') {
        Some((text, fragment)) => (text, Some(fragment)),
        None => (callback, None),
    };
    // A path and its query (Node's `req.url`): the query follows its
    // first `?`. A bare query never starts with `/`.
    let query = if path || url {
        split_at_byte(text, b'?').map_or("", |(_, query)| query)
    } else {
        strip_byte(text, b'?').unwrap_or(text)
    };
    // One `read_pairs` call for the query's pairs and, when none is an
    // OAuth parameter, then for the fragment's, decoded over them: only the
    // message depends on those (two calls: page +20 B gzip).
    let (mut text, mut in_query) = (query, true);
    loop {
        let read = read_pairs(text, bytes, names);
        if !in_query {
            return Err(match read {
                Ok(1..) => Message::CallbackInFragment,
                _ => Message::CallbackWithoutParameters,
            });
        }
        match read? {
            0 => (text, in_query) = (fragment.unwrap_or_default(), false),
            count => return Ok(Params::new(bytes, names, count)),
        }
    }
}

/// Ends each decoded name and value: never a byte of UTF-8, which every
/// name and value is checked to be as it is read.
const END: u8 = 0xFF;

/// Query parameters decoded into one buffer (`name END value END`…) and
/// the offsets of their names; a name at most once.
struct Params<'b> {
    bytes: &'b [u8],
    names: &'b [u16],
}

impl<'b> Params<'b> {
    fn new(bytes: &'b [u8], names: &'b [u16], count: usize) -> Self {
        let names = names.get(..count).unwrap_or_default();
        Params { bytes, names }
    }

    /// The value of the parameter `name` (UTF-8).
    #[cfg_attr(partner_oauth_nightly, optimize(speed))]
    fn get(&self, name: &str) -> Option<&'b [u8]> {
        let bytes = self.bytes;
        // Found, then cut: not `find_map`'s closure (page −9 B gzip).
        let found = self
            .names
            .iter()
            .find(|&&at| field(bytes, usize::from(at)) == name.as_bytes());
        found.map(|&at| field(bytes, usize::from(at) + name.len() + 1))
    }
}

/// The name or value at `at`, up to its [`END`]. Not inlined in the page
/// build: its scan was copied into each of the four places that cut one.
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
#[cfg_attr(not(feature = "server"), inline(never))]
fn field(bytes: &[u8], at: usize) -> &[u8] {
    let rest = bytes.get(at..).unwrap_or_default();
    let len = rest.iter().position(|&b| b == END).unwrap_or(rest.len());
    rest.get(..len).unwrap_or_default()
}

/// Decodes `query`'s pairs into `bytes` and their names' offsets into
/// `names`; returns how many, or 0 when none is an OAuth parameter.
/// application/x-www-form-urlencoded as `form_urlencoded::parse` reads it
/// (the `callback_diff` fuzz target compares them): `&`-separated, empty
/// pieces skipped, the name up to the first `=`.
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
fn read_pairs(query: &str, bytes: &mut [u8], names: &mut [u16]) -> Refused<usize> {
    let mut at = 0;
    let mut count = 0;
    let mut rest = query;
    while !rest.is_empty() {
        // With text's shared splitter: no `Split` or `position` of its own.
        let (piece, after) = split_at_byte(rest, b'&').unwrap_or((rest, ""));
        rest = after;
        if piece.is_empty() {
            continue;
        }
        let start = at;
        let value_start = form_decode(piece.as_bytes(), bytes, &mut at);
        let (Some(value_start), Some(slot)) = (value_start, names.get_mut(count)) else {
            return Err(Message::CallbackNoRoom);
        };
        *slot = start as u16; // ok: under 2 * CALLBACK_MAX + 2 < 2^16
        count += 1;
        // Cut by their offsets: END marks their ends only once they are checked.
        let name = bytes.get(start..value_start - 1).unwrap_or_default();
        let value = bytes.get(value_start..at - 1).unwrap_or_default();
        if has_control(value) {
            return Err(Message::CallbackControlCharacters);
        }
        // No OAuth parameter holds bytes that are not UTF-8, nor U+FFFD
        // (what a lenient decoder turns them into).
        if !(is_clean_utf8(name) && is_clean_utf8(value)) {
            return Err(Message::CallbackNotUtf8);
        }
    }
    let names = names.get_mut(..count).unwrap_or_default();
    let bytes = &*bytes;
    if names::has_duplicates_by(names, |at| field(bytes, usize::from(at))) {
        return Err(Message::CallbackDuplicateParameter);
    }
    // Last, as before: one call site for the query's pairs and the
    // fragment's (page -33 B gzip).
    Ok(match is_oauth(bytes, names, count) {
        true => count,
        false => 0,
    })
}

/// Whether the first `count` pairs hold an OAuth parameter. Its own
/// function of the buffers: no `Params` made to ask it.
fn is_oauth(bytes: &[u8], names: &[u16], count: usize) -> bool {
    let params = Params::new(bytes, names, count);
    ["code", "state", "error", "authorization_code"]
        .iter()
        .any(|k| params.get(k).is_some())
}

/// Writes the piece `text` at `out[*at..]` as `name END value END`: the
/// name up to its first `=` (none: an empty value), `+` as a space and
/// `%XX` as its byte (a `%` without two hex digits stays). Returns where
/// the value starts. One pass for both: no split of the piece first.
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
fn form_decode(text: &[u8], out: &mut [u8], at: &mut usize) -> Option<usize> {
    // `to_digit(16)`: 0-9, a-f and A-F only (8 B less wasm than a match);
    // one fold over both digits, so the digit's code is there once.
    let hex = |d: &[u8]| {
        d.iter().try_fold(0u8, |byte, &b| {
            Some(byte << 4 | char::from(b).to_digit(16)? as u8)
        })
    };
    let mut value = None;
    let mut i = 0;
    while let Some(&b) = text.get(i) {
        i += 1;
        *out.get_mut(*at)? = match b {
            b'=' if value.is_none() => {
                value = Some(*at + 1);
                END
            }
            b'+' => b' ',
            b'%' => match text.get(i..i + 2).and_then(hex) {
                Some(byte) => {
                    i += 2;
                    byte
                }
                None => b'%',
            },
            b => b,
        };
        *at += 1;
    }
    if value.is_none() {
        *out.get_mut(*at)? = END;
        *at += 1;
        value = Some(*at);
    }
    *out.get_mut(*at)? = END;
    *at += 1;
    value
}

/// UTF-8 without U+FFFD.
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
fn is_clean_utf8(bytes: &[u8]) -> bool {
    // ASCII, a query's usual case, is both: one pass a word at a time where
    // the search for U+FFFD went byte by byte (full build only: the page
    // parses one callback a visit).
    #[cfg(feature = "server")]
    return bytes.is_ascii()
        || utf8(bytes).is_some() && find_bytes(bytes, "\u{FFFD}".as_bytes()).is_none();
    // The page's decoder refuses U+FFFD as it meets it: one pass, and no
    // substring search (page -73 B).
    #[cfg(not(feature = "server"))]
    is_utf8_without(bytes, 0xFFFD)
}

/// `error=access_denied` and every other authorization error (§4.1.2.1),
/// from the values' bytes (UTF-8, checked as they were read).
fn provider_error(error: &[u8], params: &Params) -> Error {
    // `==`, one `memcmp`: a byte-string pattern compared byte by byte.
    let message = if error == b"access_denied" {
        Message::ConsentRefused
    } else {
        Message::AuthorizationRefused
    };
    let (error, description) = (Some(error), params.get("error_description"));
    // The page's values hold no control character (`read_pairs`).
    #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
    return Error::with_callback_values(message, error, description);
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    message.error().with_provider_bytes(error, description)
}

/// Before a code is exchanged: the callback's `state` must be the pending
/// flow's, compared in constant time. Without a state (a bare code) the
/// check is skipped only when the caller asks for it.
pub fn check_exchange_state(pending: &Pending, state: Option<&str>, skip: bool) -> Result<()> {
    check_flow_state(&pending.state, state, skip)
}

/// [`check_exchange_state`] against the pending flow's state, borrowed.
pub(crate) fn check_flow_state(flow_state: &str, state: Option<&str>, skip: bool) -> Result<()> {
    match state {
        Some(state) if ct::eq(state.as_bytes(), flow_state.as_bytes()) => Ok(()),
        Some(_) => refuse(Message::ExchangeStateOfAnotherFlow),
        None if skip => Ok(()),
        None => refuse(Message::ExchangeWithoutState),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `%` takes the two bytes after it when both are hex digits, as
    /// `u8::from_str_radix` reads them; otherwise it stays.
    fn reference(text: &[u8]) -> (Vec<u8>, usize) {
        let mut out = Vec::new();
        let mut split = false;
        let mut value = 0;
        let mut i = 0;
        while let Some(&b) = text.get(i) {
            i += 1;
            let pair = text
                .get(i..i + 2)
                .filter(|p| p.iter().all(u8::is_ascii_hexdigit));
            match (b, pair) {
                (b'%', Some(pair)) => {
                    let pair = std::str::from_utf8(pair).unwrap();
                    out.push(u8::from_str_radix(pair, 16).unwrap());
                    i += 2;
                }
                (b'=', _) if !split => {
                    split = true;
                    out.push(END);
                    value = out.len();
                }
                (b'+', _) => out.push(b' '),
                (b, _) => out.push(b),
            }
        }
        if !split {
            out.push(END);
            value = out.len();
        }
        out.push(END);
        (out, value)
    }

    // Every byte after a `%`, and every pair of bytes after it.
    #[test]
    fn form_decode_reads_percent_escapes_as_from_str_radix() {
        let mut out = [0; 8];
        for high in 0..=255u8 {
            for low in 0..=255u8 {
                for text in [
                    &[b'%', high, low][..],
                    &[b'%', high],
                    &[high, b'%', low, b'+'],
                ] {
                    let mut at = 0;
                    let value = form_decode(text, &mut out, &mut at);
                    let (expected, value_start) = reference(text);
                    assert_eq!(out[..at], expected, "{text:?}");
                    assert_eq!(value, Some(value_start), "{text:?}");
                }
            }
        }
    }
}
