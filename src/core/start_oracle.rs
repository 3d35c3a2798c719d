//! Today's (2026-12-03, 68117d4) start, kept as the oracle
//! `tests/start_oracle.rs` compares `Client::start_authorization` (now
//! `Client::write_start`, one byte buffer) with: the query written by
//! `form_urlencoded`, the state, pending value and base64url as they were
//! built, in `String`s and `Vec`s. Test and fuzz builds only (the `oracle`
//! feature); never shipped.
#![allow(missing_docs, clippy::indexing_slicing)]

use crate::core::authorize::{StartOptions, Started};
use crate::core::client::Client;
use crate::core::error::{fail, ErrorCode, Result};
use crate::core::keys::{Purpose, StateKeys};
use crate::core::pending::PendingView;
use crate::core::preset::{Grant, Pkce, ResponseType, TokenKind};
use crate::core::random::Entropy;
use crate::core::secret::Secret;
use crate::core::state::{StateData, PAYLOAD_MAX};
use crate::core::text::{find_str, split_at_byte, Joined};
use sha2::{Digest, Sha256};

/// `Client::start_authorization` as it was.
pub fn start_authorization(
    client: &Client,
    options: &StartOptions,
    now: u64,
    entropy: &Entropy,
) -> Result<Started> {
    Start(client).start(options, now, entropy)
}

// The constants as they were (state.rs, authorize.rs).
const VERSION: u8 = 1;
const FLAG_PAYLOAD: u8 = 1;
const HEADER_LEN: usize = 2 + 8 + 16;
const SCOPES_MAX: usize = 100;
const RESERVED: [&str; 7] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
];

const URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `encoding::b64url` as it was (`core::oracle`'s flow id too).
pub(crate) fn b64url(bytes: &[u8]) -> String {
    encode(bytes, URL, false)
}

fn encode(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let rest = bytes.len() % 3;
    let len = match pad || rest == 0 {
        true => bytes.len().div_ceil(3) * 4,
        false => bytes.len() / 3 * 4 + rest + 1,
    };
    let mut out = vec![b'='; len];
    let symbol = |n: u32| alphabet.get((n & 63) as usize).copied().unwrap_or(b'=');
    let mut dst = out.chunks_exact_mut(4);
    let mut src = bytes.chunks_exact(3);
    for (group, slot) in (&mut src).zip(&mut dst) {
        if let ([a, b, c], [w, x, y, z]) = (group, slot) {
            let n = u32::from(*a) << 16 | u32::from(*b) << 8 | u32::from(*c);
            (*w, *x, *y, *z) = (symbol(n >> 18), symbol(n >> 12), symbol(n >> 6), symbol(n));
        }
    }
    let tail = out.get_mut(bytes.len() / 3 * 4..).unwrap_or_default();
    match (src.remainder(), tail) {
        ([a], [w, x, ..]) => {
            let n = u32::from(*a) << 16;
            (*w, *x) = (symbol(n >> 18), symbol(n >> 12));
        }
        ([a, b], [w, x, y, ..]) => {
            let n = u32::from(*a) << 16 | u32::from(*b) << 8;
            (*w, *x, *y) = (symbol(n >> 18), symbol(n >> 12), symbol(n >> 6));
        }
        _ => {}
    }
    // Every byte is an ASCII symbol of the alphabet or `=`.
    String::from_utf8(out).unwrap_or_default()
}

fn with_query<'p>(base: &str, pairs: impl IntoIterator<Item = (&'p str, &'p str)>) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        query.append_pair(name, value);
    }
    let query = query.finish();
    let separator = if base.contains('?') { "&" } else { "?" };
    match query.is_empty() {
        true => base.to_owned(),
        false => [base, separator, &query].concat(),
    }
}

/// The state for `data`, signed under the first key when `keys` are given.
/// Refuses a payload over [`PAYLOAD_MAX`] bytes.
fn encode_state(data: &StateData, keys: Option<&StateKeys>) -> Result<String> {
    let payload = data.payload.as_deref();
    if payload.is_some_and(|p| p.len() > PAYLOAD_MAX) {
        return fail(
            ErrorCode::InputTooLarge,
            "the state payload is larger than 2048 bytes",
        );
    }
    let mut body = Vec::with_capacity(HEADER_LEN + payload.map_or(0, str::len));
    body.push(VERSION);
    body.push(if payload.is_some() { FLAG_PAYLOAD } else { 0 });
    body.extend_from_slice(&data.created_at.to_be_bytes());
    body.extend_from_slice(&data.nonce);
    body.extend_from_slice(payload.unwrap_or_default().as_bytes());
    let mut state = b64url(&body);
    if let Some(keys) = keys {
        state.push('.');
        state.push_str(&b64url(&keys.sign(Purpose::State, state_body(&state))));
    }
    Ok(state)
}

/// The signed part: everything before the `.`.
fn state_body(state: &str) -> &[u8] {
    split_at_byte(state, b'.')
        .map_or(state, |(body, _)| body)
        .as_bytes()
}

fn seal(view: &PendingView, keys: Option<&StateKeys>) -> Result<Secret> {
    const PREFIX: &str = "p2.";
    let mut bytes = Vec::with_capacity(256);
    bytes.extend_from_slice(&view.created_at.to_be_bytes());
    let fields = [
        Some(view.provider),
        Some(view.client_id),
        Some(view.environment),
        Some(view.state),
        Some(view.redirect_uri),
        view.verifier,
        view.token_kind,
    ];
    for field in fields {
        // An absent field is written as length 0xFFFF.
        let Some(text) = field else {
            bytes.extend_from_slice(&u16::MAX.to_be_bytes());
            continue;
        };
        let len = match u16::try_from(text.len()) {
            Ok(len) if len < u16::MAX => len,
            _ => return fail(ErrorCode::InputTooLarge, "a pending field is too long"),
        };
        bytes.extend_from_slice(&len.to_be_bytes());
        bytes.extend_from_slice(text.as_bytes());
    }
    let mut text = [PREFIX, &b64url(&bytes)].cat();
    if let Some(keys) = keys {
        let tag = keys.sign(Purpose::Pending, text.as_bytes());
        text.push('.');
        text.push_str(&b64url(&tag));
    }
    Ok(Secret::new(text))
}

struct Start<'c>(&'c Client);

impl std::ops::Deref for Start<'_> {
    type Target = Client;
    fn deref(&self) -> &Client {
        self.0
    }
}

fn challenge_s256(verifier: &str) -> Result<String> {
    crate::core::pkce::check_verifier(verifier)?;
    Ok(b64url(&Sha256::digest(verifier.as_bytes())))
}

impl Start<'_> {
    /// Builds the authorize URL (RFC 6749 §4.1.1) with a fresh state and, when
    /// the preset uses PKCE, an S256 challenge (RFC 7636 §4.3). `now` is
    /// seconds since the epoch; `entropy` supplies the nonce and verifier.
    fn start(&self, options: &StartOptions, now: u64, entropy: &Entropy) -> Result<Started> {
        self.require_grant(Grant::AuthorizationCode, "the authorization code grant")?;
        let endpoint = self.endpoint("authorize", &self.endpoints.authorize)?;
        let Some(redirect_uri) = self.redirect_uri.as_deref() else {
            return fail(
                ErrorCode::InvalidConfig,
                "redirectUri is required to start an authorization",
            );
        };
        let token_kind = self.token_kind(options.token_kind.as_deref())?;
        let scope = self.join_scopes(&options.scopes)?;

        let state_data = StateData {
            created_at: now,
            nonce: entropy.nonce,
            payload: options.payload.clone(),
        };
        let state = encode_state(&state_data, self.keys.as_ref())?;
        let verifier = match self.preset.pkce {
            Pkce::Required | Pkce::Supported => Some(Secret::new(b64url(&entropy.verifier))),
            Pkce::Unsupported => None,
        };

        let challenge = verifier
            .as_ref()
            .map(|v| challenge_s256(v.expose()))
            .transpose()?;
        let mut query: Vec<(&str, &str)> = Vec::with_capacity(8);
        if self.preset.response_type == ResponseType::Code {
            query.push(("response_type", "code"));
        }
        query.push(("client_id", &self.client_id));
        query.push(("redirect_uri", redirect_uri));
        if let Some(scope) = &scope {
            query.push(("scope", scope));
        }
        query.push(("state", &state));
        if let Some(challenge) = &challenge {
            query.push(("code_challenge", challenge));
            query.push(("code_challenge_method", "S256"));
        }
        query.extend(
            token_kind
                .map_or(&[][..], |kind| kind.authorize_params)
                .iter()
                .copied(),
        );
        match &self.overrides.authorize_params {
            Some(params) => query.extend(params.iter().map(|(n, v)| (n.as_str(), v.as_str()))),
            None => query.extend(self.preset.authorize_params.iter().copied()),
        }
        // Checked against everything the library itself sends, in any
        // casing (RFC 6749 §3.1: no parameter twice; some servers fold case).
        check_extra_params(&options.params, &query, self.preset.token_kinds)?;
        query.extend(
            options
                .params
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str())),
        );
        let url = with_query(endpoint, query);

        let pending = PendingView {
            provider: self.preset.name,
            client_id: &self.client_id,
            environment: self.environment,
            state: &state,
            verifier: verifier.as_ref().map(Secret::expose),
            redirect_uri,
            created_at: now,
            token_kind: token_kind.map(|kind| kind.name),
        };
        let pending = seal(&pending, self.keys.as_ref())?;
        Ok(Started {
            url,
            state,
            pending,
            flow_id: b64url(&entropy.nonce),
            flow_expires_at: crate::core::state::expires_at(now, self.state_max_age),
        })
    }

    fn token_kind(&self, wanted: Option<&str>) -> Result<Option<&TokenKind>> {
        let kinds = &self.preset.token_kinds;
        match wanted {
            None => Ok(kinds.first()),
            Some(name) => match kinds.iter().find(|kind| kind.name == name) {
                Some(kind) => Ok(Some(kind)),
                None if kinds.is_empty() => fail(
                    ErrorCode::InvalidArgument,
                    [self.preset.name, " has no token kinds; omit tokenKind"].cat(),
                ),
                None => {
                    let names: Vec<&str> = kinds.iter().map(|kind| kind.name).collect();
                    fail(
                        ErrorCode::InvalidArgument,
                        ["tokenKind must be one of: ", &names.joined(", ")].cat(),
                    )
                }
            },
        }
    }

    /// Scopes joined by the preset's separator; `None` when there are none.
    fn join_scopes(&self, scopes: &[String]) -> Result<Option<String>> {
        if scopes.len() > SCOPES_MAX {
            return fail(ErrorCode::InvalidArgument, "more than 100 scopes");
        }
        let separator = self.scope_separator();
        for scope in scopes {
            if !is_scope_token(scope)
                || (!separator.is_empty() && find_str(scope, separator).is_some())
            {
                return fail(
                    ErrorCode::InvalidArgument,
                    "each scope must be non-empty printable ASCII without spaces, quotes, backslashes or the scope separator (RFC 6749 §3.3)",
                );
            }
        }
        Ok((!scopes.is_empty()).then(|| scopes.joined(separator)))
    }
}

/// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
fn is_scope_token(scope: &str) -> bool {
    !scope.is_empty()
        && scope
            .bytes()
            .all(|b| matches!(b, 0x21 | 0x23..=0x5B | 0x5D..=0x7E))
}

fn check_extra_params(
    params: &[(String, String)],
    sent: &[(&str, &str)],
    kinds: &[TokenKind],
) -> Result<()> {
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    for (i, (name, _)) in params.iter().enumerate() {
        // Any token kind's parameters too: they select the kind the pending
        // value records, so a caller cannot ask for another one.
        let taken = RESERVED.iter().any(|r| same(r, name))
            || sent.iter().any(|(n, _)| same(n, name))
            || kinds
                .iter()
                .any(|kind| kind.authorize_params.iter().any(|(n, _)| same(n, name)))
            || params.iter().take(i).any(|(n, _)| same(n, name));
        if taken {
            return fail(
                ErrorCode::InvalidArgument,
                [
                    "params.",
                    name,
                    " is already sent (by the library, the preset or another param) and cannot be repeated",
                ]
                .cat(),
            );
        }
    }
    Ok(())
}
