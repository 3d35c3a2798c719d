//! Starting an authorization: the authorize URL (RFC 6749 §4.1.1, with PKCE
//! per RFC 7636 §4.3) and the pending value the callback will need.

use crate::core::client::{listed, Client};
use crate::core::encoding::{b64url_in_place, push_b64url};
use crate::core::error::Result;
use crate::core::messages::{refuse, Message};
use crate::core::options::Fields;
use crate::core::pending;
use crate::core::pkce;
use crate::core::preset::{Pkce, Preset, ResponseType, TokenKind};
use crate::core::random::Entropy;
use crate::core::secret::Secret;
use crate::core::state;
#[cfg(not(feature = "server"))]
use crate::core::text::put_within;
use crate::core::text::{find_byte, find_str, put, same_folded};
use crate::core::urls::push_form_bytes;

/// Parameters the library sets itself; callers cannot smuggle them in.
/// As pairs (values unused), so one reader serves every list of names.
const RESERVED: [(&str, &str); 7] = [
    ("response_type", ""),
    ("client_id", ""),
    ("redirect_uri", ""),
    ("scope", ""),
    ("state", ""),
    ("code_challenge", ""),
    ("code_challenge_method", ""),
];
const SCOPES_MAX: usize = 100;

/// What one authorization asks for, beyond the client's configuration.
#[derive(Clone, Debug, Default)]
pub struct StartOptions {
    /// Scope tokens (RFC 6749 §3.3), joined with the preset's separator.
    pub scopes: Vec<String>,
    /// Carried in the state, signed when a stateKey is set, never encrypted.
    pub payload: Option<String>,
    /// One of the preset's `token_kinds` by name; the first is the default.
    pub token_kind: Option<String>,
    /// Extra authorize parameters (e.g. `prompt`, `login_hint`).
    pub params: Vec<(String, String)>,
}

impl StartOptions {
    /// Reads options from JSON text (`scopes`, `payload`, `tokenKind`,
    /// `params`), strictly: an unknown field is an error.
    pub fn from_json(text: &str) -> Result<StartOptions> {
        StartOptions::read(Fields::parse(text, "startAuthorization options")?)
    }

    /// Reads options from already-parsed fields; see [`Self::from_json`].
    pub fn read(mut fields: Fields) -> Result<StartOptions> {
        let options = StartOptions {
            scopes: fields.strings("scopes").unwrap_or_default(),
            payload: fields.string("payload"),
            token_kind: fields.string("tokenKind"),
            params: fields.string_map("params").unwrap_or_default(),
        };
        fields.finish()?;
        Ok(options)
    }
}

/// A started authorization: the URL to send the user to and the pending
/// value to keep until the callback.
#[derive(Debug)]
pub struct Started {
    /// Where to send the user.
    pub url: String,
    /// The `state` in `url`.
    pub state: String,
    /// Hand this back to [`Client::parse_callback`]; holds the PKCE verifier.
    pub pending: Secret,
    /// Names this flow (its state's nonce): the `flow_id` its callback's
    /// [`Callback`](crate::Callback) will carry.
    pub flow_id: String,
    /// When the flow expires (seconds since the epoch): its callback is
    /// refused from then on. The callback's `flow_expires_at`.
    pub flow_expires_at: u64,
}

/// Where the parts of a start's output end: the buffer holds the URL, the
/// state, the pending value and the flow id, one after the other, all ASCII
/// (an endpoint is checked to be).
#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
#[derive(Default)]
pub(crate) struct StartParts {
    pub url: usize,
    pub state: usize,
    pub pending: usize,
    pub flow_expires_at: u64,
}

/// The page: the four numbers `t` answers, as it sends them (the three
/// lengths, then `flow_expires_at` in milliseconds), written once, in the
/// answer's slots (raw.rs' `numbers`): not the struct then four conversions
/// in `t` (page −42 B gzip), nor an array copied into the slots.
#[cfg(all(target_arch = "wasm32", not(feature = "server")))]
pub(crate) type StartParts = [f64; 4];

impl Client {
    /// Builds the authorize URL (RFC 6749 §4.1.1) with a fresh state and, when
    /// the preset uses PKCE, an S256 challenge (RFC 7636 §4.3). `now` is
    /// seconds since the epoch; `entropy` supplies the nonce and verifier.
    /// Not in the page, whose start is raw.rs' `t` (its parts are numbers).
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub fn start_authorization(
        &self,
        options: &StartOptions,
        now: u64,
        entropy: &Entropy,
    ) -> Result<Started> {
        let mut out = Vec::with_capacity(1024);
        let mut parts = StartParts::default();
        self.write_start(options, now, entropy, &mut out, &mut parts)?;
        let text = String::from_utf8(out).unwrap_or_default();
        let (state, pending) = (
            parts.url + parts.state,
            parts.url + parts.state + parts.pending,
        );
        let part = |range: std::ops::Range<usize>| text.get(range).unwrap_or_default().to_owned();
        Ok(Started {
            url: part(0..parts.url),
            state: part(parts.url..state),
            pending: Secret::new(part(state..pending)),
            flow_id: part(pending..text.len()),
            flow_expires_at: parts.flow_expires_at,
        })
    }

    /// The start itself, for both builds: writes the URL, state, pending
    /// value and flow id into `out` (empty; its callers make it 1 KiB, one
    /// allocation for a usual start's 500-900 bytes). The verifier is built
    /// on the stack, the state and the pending value base64url'd in place,
    /// and the query form-encoded straight into `out`.
    pub(crate) fn write_start(
        &self,
        options: &StartOptions,
        now: u64,
        entropy: &Entropy,
        out: &mut Vec<u8>,
        parts: &mut StartParts,
    ) -> Result<()> {
        self.require_code_grant()?;
        let endpoint = self.authorize_endpoint()?;
        let Some(redirect_uri) = self.redirect_uri.as_deref() else {
            return refuse(Message::RedirectUriMissing);
        };
        // The endpoint, response_type, client_id and redirect_uri: the full
        // build's client wrote them once (`endpoint` was only checked).
        #[cfg(feature = "server")]
        {
            let _ = endpoint;
            out.extend_from_slice(&self.start_prefix);
        }
        #[cfg(not(feature = "server"))]
        push_start_prefix(&self.preset, endpoint, &self.client_id, redirect_uri, out);
        let token_kind = self.token_kind(options.token_kind.as_deref())?;
        if options.scopes.len() > SCOPES_MAX {
            return refuse(Message::ScopesTooMany);
        }
        // After the prefix (its `client_id` at least), every pair starts
        // with `&`: the library's own names and empty values are literals.
        // Each scope is checked as it is written (a refused start's bytes
        // are dropped), in the refusals' order: the scopes, then the
        // payload, then the extra parameters.
        let separator = self.scope_separator();
        for (i, scope) in options.scopes.iter().enumerate() {
            if !is_scope_token(scope)
                || (!separator.is_empty() && find_str(scope, separator).is_some())
            {
                return refuse(Message::ScopeInvalid);
            }
            match i {
                0 => put(out, b"&scope="),
                _ => push_form_bytes(out, separator.as_bytes()),
            }
            push_form_bytes(out, scope.as_bytes());
        }
        state::check_payload(options.payload.as_deref())?;
        // RFC 7636 §4.1: 32 random bytes as 43 base64url characters.
        let mut verifier = [0u8; 43];
        verifier
            .get_mut(..32)
            .unwrap_or_default()
            .copy_from_slice(&entropy.verifier);
        // 43 symbols of base64url: RFC 7636 §4.1's verifier by construction
        // (a test holds it to `pkce::check_verifier`), so not checked here.
        b64url_in_place(&mut verifier, 32);
        let pkce = self.preset.pkce != Pkce::Unsupported;
        // The preset's authorize parameters, or the `preset` option's.
        let (preset_params, owned_params) = match &self.overrides.authorize_params {
            Some(params) => (&[][..], &params[..]),
            None => (self.preset.authorize_params, &[][..]),
        };
        // Checked against everything the library itself sends, in any
        // casing (RFC 6749 §3.1: no parameter twice; some servers fold case).
        check_extra_params(
            &options.params,
            preset_params,
            owned_params,
            self.preset.token_kinds,
            Message::ParamRepeated,
        )?;

        // Written once, where the URL wants it, and copied from there into
        // the answer and the pending value. base64url (and `.`): form
        // encoding would leave every byte as it is. The full build's is
        // written into its own buffer, sized for one without a payload
        // (base64url of 26 bytes, a `.` and a 43-symbol MAC), and copied
        // three times: +95 B gzip of wasm there as the page's.
        #[cfg(feature = "server")]
        let mut state = Vec::with_capacity(80);
        #[cfg(feature = "server")]
        state::push(
            now,
            &entropy.nonce,
            options.payload.as_deref(),
            self.keys.as_ref(),
            &mut state,
        );
        #[cfg(feature = "server")]
        put(out, b"&state=");
        #[cfg(feature = "server")]
        put(out, &state);
        #[cfg(not(feature = "server"))]
        let (state, state_len) = {
            put(out, b"&state=");
            let at = out.len();
            state::push(
                now,
                &entropy.nonce,
                options.payload.as_deref(),
                self.keys.as_ref(),
                out,
            );
            (at, out.len() - at)
        };
        if pkce {
            // RFC 7636 §4.2, encoded where it goes.
            put(out, b"&code_challenge=");
            pkce::push_s256(&verifier, out);
            put(out, b"&code_challenge_method=S256");
        }
        let kind_params = token_kind.map_or(&[][..], |kind| kind.authorize_params);
        pairs(out, kind_params);
        pairs(out, preset_params);
        pairs(out, owned_params);
        pairs(out, &options.params);
        let url = out.len();
        #[cfg(feature = "server")]
        put(out, &state);
        #[cfg(not(feature = "server"))]
        put_within(out, state, state_len);

        let pending = out.len();
        // As `PendingView::seal_into`, the state and verifier as the
        // base64url bytes written above (no UTF-8 check of either).
        pending::seal_fields(
            now,
            [
                Some(self.preset.name.as_bytes()),
                Some(self.client_id.as_bytes()),
                Some(self.environment.as_bytes()),
                #[cfg(feature = "server")]
                Some(&state),
                #[cfg(not(feature = "server"))]
                None,
                Some(redirect_uri.as_bytes()),
                pkce.then_some(&verifier[..]),
                token_kind.map(|kind| kind.name.as_bytes()),
            ],
            #[cfg(not(feature = "server"))]
            Some((state, state_len)),
            self.keys.as_ref(),
            out,
        )?;
        let flow_id = out.len();
        push_b64url(out, &entropy.nonce);
        #[cfg(feature = "server")]
        let state_len = state.len();
        let flow_expires_at = state::expires_at(now, self.state_max_age);
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        let start = StartParts {
            url,
            state: state_len,
            pending: flow_id - pending,
            flow_expires_at,
        };
        #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
        let start = [
            url as f64,
            state_len as f64,
            (flow_id - pending) as f64,
            state::milliseconds(flow_expires_at),
        ];
        *parts = start;
        Ok(())
    }

    fn token_kind(&self, wanted: Option<&str>) -> Result<Option<&TokenKind>> {
        let kinds = &self.preset.token_kinds;
        // Not found: the first when none is wanted (none if no kinds). The
        // page build searches as for environments: one function for both.
        #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
        let found = crate::core::preset::named(kinds, wanted);
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        let found = match wanted {
            Some(name) => kinds.iter().find(|kind| kind.name == name),
            None => kinds.first(),
        };
        if found.is_some() || wanted.is_none() {
            return Ok(found);
        }
        // One fill for both refusals: no kinds names the preset instead.
        let names = listed(kinds.iter().map(|kind| kind.name));
        let (message, part) = match names.is_empty() {
            true => (Message::TokenKindsNone, self.preset.name),
            false => (Message::TokenKindUnknown, names.as_str()),
        };
        Err(message.with(&[part]))
    }
}

/// The authorize URL up to its scope, as every start of a client writes
/// it: the endpoint, then `response_type` (when the preset sends it),
/// `client_id` and `redirect_uri`. The full build writes it once per client
/// ([`Client::new`]); the page, one start a visit, at its start (+47 B gzip
/// of wasm as a client's).
pub(crate) fn push_start_prefix(
    preset: &Preset,
    endpoint: &str,
    client_id: &str,
    redirect_uri: &str,
    out: &mut Vec<u8>,
) {
    put(out, endpoint.as_bytes());
    let query = out.len();
    if preset.response_type == ResponseType::Code {
        put(out, b"&response_type=code");
    }
    pair(out, "client_id", client_id.as_bytes());
    pair(out, "redirect_uri", redirect_uri.as_bytes());
    // The query's first pair follows a `?`, unless the endpoint has one.
    if let (None, Some(first)) = (find_byte(endpoint, b'?'), out.get_mut(query)) {
        *first = b'?';
    }
}

/// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), as the
/// printable range less `"` and `\` (page −6 B gzip, full −10).
fn is_scope_token(scope: &str) -> bool {
    !scope.is_empty()
        && scope
            .bytes()
            .all(|b| (0x21..0x7F).contains(&b) && b != b'"' && b != b'\\')
}

/// `&name=value`, form-encoded (the library's own names and values that
/// form encoding leaves as they are are written as literals); one call
/// site per pair keeps the start small.
#[inline(never)]
fn pair(out: &mut Vec<u8>, name: &str, value: &[u8]) {
    put(out, b"&");
    push_form_bytes(out, name.as_bytes());
    put(out, b"=");
    push_form_bytes(out, value);
}

/// Each of `pairs`, as [`pair`] writes it.
fn pairs<S: AsRef<str>>(out: &mut Vec<u8>, pairs: &[(S, S)]) {
    for (name, value) in pairs {
        pair(out, name.as_ref(), value.as_ref().as_bytes());
    }
}

/// The first of `params` already sent, in any casing, is `refused`:
/// RESERVED holds every name the library sends itself; any token kind's
/// parameters are taken too (they select the kind the pending value
/// records, so a caller cannot ask for another one).
fn check_extra_params(
    params: &[(String, String)],
    preset_params: &[(&str, &str)],
    owned_params: &[(String, String)],
    kinds: &[TokenKind],
    refused: Message,
) -> Result<()> {
    for (i, (name, _)) in params.iter().enumerate() {
        let taken = names(&RESERVED, name)
            || names(preset_params, name)
            || names(owned_params, name)
            || kinds.iter().any(|kind| names(kind.authorize_params, name))
            || names(params.get(..i).unwrap_or_default(), name);
        if taken {
            return Err(refused.with(&[name]));
        }
    }
    Ok(())
}

/// The `preset` option's `authorizeParams` (they replace the preset's own):
/// none may name what the library sends itself or a token kind's parameter,
/// nor repeat another in some casing (review 74: a guide's
/// `resource_owner_type=company` copied there went out twice).
pub(crate) fn check_authorize_params(
    params: &[(String, String)],
    kinds: &[TokenKind],
) -> Result<()> {
    check_extra_params(params, &[], &[], kinds, Message::AuthorizeParamTaken)
}

/// Whether `pairs` names `name`, in any casing.
fn names<S: AsRef<str>>(pairs: &[(S, S)], name: &str) -> bool {
    pairs
        .iter()
        .any(|(n, _)| same_folded(n.as_ref().as_bytes(), name.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6749 §3.3's scope-token, byte for byte, as its ABNF writes it.
    #[test]
    fn a_scope_token_is_the_rfc_grammar() {
        for b in 0..=255u8 {
            let scope = String::from_utf8_lossy(&[b]).into_owned();
            let rfc = matches!(b, 0x21 | 0x23..=0x5B | 0x5D..=0x7E);
            assert_eq!(is_scope_token(&scope), rfc, "{b:#x}");
            assert_eq!(is_scope_token(&format!("a{scope}b")), rfc, "{b:#x}");
        }
        assert!(!is_scope_token(""));
    }

    // `write_start` does not check its verifier: 32 bytes as base64url are
    // always one RFC 7636 §4.1 accepts.
    #[test]
    fn a_start_verifier_is_always_valid() {
        for seed in 0..=255u8 {
            let mut verifier = [0u8; 43];
            for (i, byte) in verifier.iter_mut().take(32).enumerate() {
                *byte = seed.wrapping_mul(i as u8 + 1) ^ (i as u8).rotate_left(3);
            }
            b64url_in_place(&mut verifier, 32);
            assert!(pkce::check_verifier_bytes(&verifier).is_ok(), "{seed}");
        }
    }
}
