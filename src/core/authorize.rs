//! Starting an authorization: the authorize URL (RFC 6749 §4.1.1, with PKCE
//! per RFC 7636 §4.3) and the pending value the callback will need.

use crate::core::client::Client;
use crate::core::encoding::b64url;
use crate::core::error::{fail, ErrorCode, Result};
use crate::core::options::Fields;
use crate::core::pending::PendingView;
use crate::core::pkce;
use crate::core::preset::{Grant, Pkce, ResponseType, TokenKind};
use crate::core::random::Entropy;
use crate::core::secret::Secret;
use crate::core::state::{self, StateData};
use crate::core::text::{find_str, Joined};
use crate::core::urls;

/// Parameters the library sets itself; callers cannot smuggle them in.
const RESERVED: [&str; 7] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
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
    /// When the flow expires (seconds since the epoch): the callback's
    /// `flow_expires_at`.
    pub flow_expires_at: u64,
}

impl Client {
    /// Builds the authorize URL (RFC 6749 §4.1.1) with a fresh state and, when
    /// the preset uses PKCE, an S256 challenge (RFC 7636 §4.3). `now` is
    /// seconds since the epoch; `entropy` supplies the nonce and verifier.
    pub fn start_authorization(
        &self,
        options: &StartOptions,
        now: u64,
        entropy: &Entropy,
    ) -> Result<Started> {
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
        let state = state::encode(&state_data, self.keys.as_ref())?;
        let verifier = match self.preset.pkce {
            Pkce::Required | Pkce::Supported => Some(pkce::verifier_from_bytes(&entropy.verifier)),
            Pkce::Unsupported => None,
        };

        let challenge = verifier
            .as_ref()
            .map(|v| pkce::challenge_s256(v.expose()))
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
        let url = urls::with_query(endpoint, query);

        let pending = PendingView {
            provider: self.preset.name,
            client_id: &self.client_id,
            environment: self.environment,
            state: &state,
            verifier: verifier.as_ref().map(Secret::expose),
            redirect_uri,
            created_at: now,
            token_kind: token_kind.map(|kind| kind.name),
        }
        .seal(self.keys.as_ref())?;
        Ok(Started {
            url,
            state,
            pending,
            flow_id: b64url(&entropy.nonce),
            flow_expires_at: now.saturating_add(self.state_max_age),
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
