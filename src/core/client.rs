//! A configured client: one preset, one environment, one set of credentials.
//! `Client::new` checks every option once, so later calls fail only on their
//! own inputs.

use crate::core::authorize::check_authorize_params;
#[cfg(feature = "server")]
use crate::core::authorize::push_start_prefix;
use crate::core::error::{ErrorCode, Result};
use crate::core::keys::StateKeys;
use crate::core::messages::{refuse, Message};
use crate::core::options::Fields;
#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
use crate::core::preset::Operation;
use crate::core::preset::{
    named, ClientEndpoints, Endpoints, Grant, Overrides, Preset, PresetPatch, Supported,
};
use crate::core::providers;
use crate::core::secret::Secret;
use crate::core::text::{has_control, owned, put_str};
use crate::core::urls;

/// Default lifetime of an authorization flow: ten minutes.
pub const DEFAULT_STATE_MAX_AGE: u64 = 600;
const STATE_MAX_AGE_LIMIT: u64 = 86_400;
const CLIENT_ID_MAX: usize = 512;
pub(crate) const DEFAULT_TIMEOUT_MS: u32 = 10_000;

/// Options as JS passes them (camelCase), or as Rust fills them.
#[derive(Clone, Debug, Default)]
pub struct ClientOptions {
    /// A key of `providers::PROVIDERS`: a partner's preset, or `custom` for
    /// any other RFC 6749 provider.
    pub provider: String,
    /// One of the preset's environments; `None` picks its first.
    pub environment: Option<String>,
    /// The `client_id` the provider issued (RFC 6749 §2.2).
    pub client_id: String,
    /// Set for a confidential client (RFC 6749 §2.3.1); never in a page.
    pub client_secret: Option<Secret>,
    /// The registered redirect URI (RFC 6749 §3.1.2); needed to start a flow
    /// and to exchange its code.
    pub redirect_uri: Option<String>,
    /// HMAC key(s) that sign state and seal the pending value; the first
    /// signs, any verifies (rotation).
    pub state_key: Option<Vec<Secret>>,
    /// Endpoint URLs that replace or complete the preset's.
    pub endpoints: Endpoints,
    /// Quirk overrides; for the custom preset, its whole description.
    pub preset: Option<PresetPatch>,
    /// Seconds a flow may take from start to callback.
    pub state_max_age: Option<u64>,
    /// Milliseconds an exchange may take (JS layer), default 10 000.
    pub timeout_ms: Option<u64>,
    /// Tests only: allow a client secret or state key in a page that has a DOM.
    pub dangerously_allow_secret_in_browser: bool,
}

impl ClientOptions {
    /// Reads options from JSON text, strictly (see `options::Fields`).
    pub fn from_json(text: &str) -> Result<ClientOptions> {
        ClientOptions::read(Fields::parse(text, "client options")?)
    }

    /// Reads options from already-parsed fields; see [`Self::from_json`].
    pub fn read(mut fields: Fields) -> Result<ClientOptions> {
        let options = ClientOptions {
            provider: fields.required_string("provider"),
            environment: fields.string("environment"),
            client_id: fields.required_string("clientId"),
            client_secret: fields.secret("clientSecret"),
            redirect_uri: fields.string("redirectUri"),
            state_key: fields.secrets("stateKey"),
            endpoints: fields
                .nested("endpoints", Endpoints::read)
                .unwrap_or_default(),
            preset: fields.nested("preset", PresetPatch::read),
            state_max_age: fields.u64("stateMaxAge"),
            timeout_ms: fields.u64("timeoutMs"),
            dangerously_allow_secret_in_browser: fields
                .bool("dangerouslyAllowSecretInBrowser")
                .unwrap_or(false),
        };
        fields.finish()?;
        Ok(options)
    }

    /// A browser page must never hold a client secret or a state key: anyone
    /// can read them (a page's key would let a visitor sign a state whose
    /// payload then reads as verified).
    pub fn check_secret_placement(&self, page_has_dom: bool) -> Result<()> {
        secret_placement(
            page_has_dom && !self.dangerously_allow_secret_in_browser,
            self.client_secret.is_some(),
            self.state_key.is_some(),
        )
    }
}

/// `check_secret_placement` of both option forms: `in_page` a page with a
/// DOM that did not opt in.
fn secret_placement(in_page: bool, secret: bool, keys: bool) -> Result<()> {
    if in_page && secret {
        return refuse(Message::SecretInPage);
    }
    if in_page && keys {
        return refuse(Message::StateKeyInPage);
    }
    Ok(())
}

/// [`ClientOptions`] with the texts borrowed from where they were read (the
/// options record, in place, or a `ClientOptions`): the checks run over
/// them and the client copies what it keeps once, after the last check, so
/// an error exit has no strings to drop.
pub(crate) struct ClientInput<'a> {
    /// `provider`, `environment`, `clientId`, `clientSecret` (no `Debug`
    /// here: it stays unprinted) and `redirectUri`, in the record's order:
    /// one array the record's reader fills in one loop (absent is empty for
    /// the provider and client id).
    pub texts: [Option<&'a str>; 5],
    pub state_key: Option<Vec<Secret>>,
    /// The caller's endpoints, in `Endpoints`' order.
    pub endpoints: [Option<&'a str>; 5],
    pub preset: Option<PresetPatch>,
    /// `stateMaxAge` and `timeoutMs`, their defaults in place of absent
    /// ones: plain `u64`s, no `Option` tags stored and read back.
    pub state_max_age: u64,
    pub timeout_ms: u64,
    // Read by the wasm builds' constructors (check_secret_placement).
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub dangerously_allow_secret_in_browser: bool,
}

#[cfg(target_arch = "wasm32")]
impl ClientInput<'_> {
    /// As [`ClientOptions::check_secret_placement`].
    pub fn check_secret_placement(&self, page_has_dom: bool) -> Result<()> {
        let [_, _, _, client_secret, _] = self.texts;
        secret_placement(
            page_has_dom && !self.dangerously_allow_secret_in_browser,
            client_secret.is_some(),
            self.state_key.is_some(),
        )
    }
}

/// A client for one provider and environment, built once from checked
/// [`ClientOptions`]. Its methods compute URLs and requests; none does I/O.
#[derive(Clone, Debug)]
pub struct Client {
    // Boxed in the page build only, whose client is a box built in place:
    // kept inline, its preset took more code there (+176 B gzip), and
    // less in the full build (−46 B).
    #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
    pub(crate) preset: Box<Preset>,
    #[cfg(not(all(target_arch = "wasm32", not(feature = "server"))))]
    pub(crate) preset: Preset,
    /// The `preset` option's lists and strings, read in place of the preset's.
    pub(crate) overrides: Overrides,
    pub(crate) environment: &'static str,
    pub(crate) endpoints: ClientEndpoints,
    pub(crate) client_id: String,
    // Sent by token requests only, which the page build has none of: it
    // checks the secret and keeps none.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub(crate) client_secret: Option<Secret>,
    pub(crate) redirect_uri: Option<String>,
    /// The authorize URL up to its scope (endpoint, `response_type`,
    /// `client_id`, `redirect_uri`), form-encoded once here rather than at
    /// every start (the redirect URI's escapes); empty without the endpoint
    /// or the redirect URI, which a start refuses first.
    #[cfg(feature = "server")]
    pub(crate) start_prefix: Vec<u8>,
    pub(crate) keys: Option<StateKeys>,
    pub(crate) state_max_age: u64,
    pub(crate) timeout_ms: u32,
}

impl Client {
    /// Checks every option (provider, environment, endpoints, client id,
    /// redirect URI, keys, limits) and applies the preset patch.
    pub fn new(options: ClientOptions) -> Result<Client> {
        let ClientOptions {
            provider,
            environment,
            client_id,
            client_secret,
            redirect_uri,
            state_key,
            endpoints,
            preset,
            state_max_age,
            timeout_ms,
            dangerously_allow_secret_in_browser,
        } = options;
        Client::from_input(&mut ClientInput {
            texts: [
                Some(&provider),
                environment.as_deref(),
                Some(&client_id),
                client_secret.as_ref().map(Secret::expose),
                redirect_uri.as_deref(),
            ],
            state_key,
            endpoints: endpoints.texts(),
            preset,
            state_max_age: state_max_age.unwrap_or(DEFAULT_STATE_MAX_AGE),
            timeout_ms: timeout_ms.unwrap_or(u64::from(DEFAULT_TIMEOUT_MS)),
            dangerously_allow_secret_in_browser,
        })
        .map(|client| *client)
    }

    /// [`Client::new`] over borrowed texts (the page build reads its options
    /// record in place). Boxed here: the page's handle is this box, built in
    /// place rather than copied from a returned `Client`. `options` by
    /// reference (its keys and patch taken): a 192-byte move otherwise.
    pub(crate) fn from_input(options: &mut ClientInput<'_>) -> Result<Box<Client>> {
        let [provider, environment, client_id, client_secret, redirect_uri] = options.texts;
        let client_id = client_id.unwrap_or_default();
        let Some(builtin) = providers::preset(provider.unwrap_or_default()) else {
            return Err(Message::ProviderUnknown.with(&[providers::LISTED]));
        };
        #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
        let mut preset = crate::wasm::raw::boxed(builtin);
        #[cfg(not(all(target_arch = "wasm32", not(feature = "server"))))]
        let mut preset = *builtin;
        let overrides = match options.preset.take() {
            Some(patch) => patch.apply(&mut preset),
            None => Overrides::default(),
        };
        if let Some(params) = &overrides.authorize_params {
            check_authorize_params(params, preset.token_kinds)?;
        }
        let environment = pick_environment(&preset, environment)?;
        let mut endpoints = ClientEndpoints::default();
        Endpoints::resolve_into(&environment.endpoints, &options.endpoints, &mut endpoints)?;
        let environment = environment.name;
        check_client_id(client_id)?;
        if client_secret.is_some_and(str::is_empty) {
            return refuse(Message::ClientSecretEmpty);
        }
        // Checked here, taken last: no refusal has the keys to drop.
        if let Some(keys) = &options.state_key {
            StateKeys::check(keys)?;
        }
        let state_max_age = options.state_max_age;
        if !(1..=STATE_MAX_AGE_LIMIT).contains(&state_max_age) {
            return refuse(Message::StateMaxAgeRange);
        }
        if let Some(uri) = redirect_uri {
            check_redirect_uri(&preset, uri)?;
        }
        #[cfg(feature = "server")]
        let mut start_prefix = Vec::new();
        #[cfg(feature = "server")]
        if let (Some(endpoint), Some(uri)) = (&endpoints.authorize, redirect_uri) {
            push_start_prefix(&preset, endpoint, client_id, uri, &mut start_prefix);
        }
        let timeout_ms = timeout_in_range(options.timeout_ms)?;
        Ok(Box::new(Client {
            #[cfg(feature = "server")]
            start_prefix,
            preset,
            overrides,
            environment,
            endpoints,
            client_id: owned(client_id),
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            client_secret: client_secret.map(Secret::new),
            redirect_uri: redirect_uri.map(owned),
            keys: options.state_key.take().map(StateKeys::checked),
            state_max_age,
            timeout_ms,
        }))
    }

    /// The preset, with the caller's patch applied.
    pub fn preset(&self) -> &Preset {
        &self.preset
    }
    /// The environment's name.
    pub fn environment(&self) -> &str {
        self.environment
    }
    /// The checked endpoints: the environment's, overlaid with the caller's.
    pub fn endpoints(&self) -> &ClientEndpoints {
        &self.endpoints
    }
    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }
    /// Milliseconds an exchange may take, for the JS layer that sends it.
    pub fn timeout_ms(&self) -> u32 {
        self.timeout_ms
    }

    /// Joins scopes in the authorize URL and token requests.
    pub fn scope_separator(&self) -> &str {
        match &self.overrides.scope_separator {
            Some(separator) => separator,
            None => self.preset.scope_separator,
        }
    }

    /// Expected `iss` on the callback (RFC 9207).
    pub fn issuer(&self) -> Option<&str> {
        match &self.overrides.issuer {
            Some(issuer) => Some(issuer),
            None => self.preset.issuer,
        }
    }

    /// The endpoint, or `missing_endpoint` naming the option to set. Not
    /// in the page, whose one endpoint is `authorize_endpoint`'s.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub fn endpoint<'a>(&self, name: &str, url: &'a Option<String>) -> Result<&'a str> {
        match url {
            Some(url) => Ok(url),
            None => Err(Message::EndpointUndocumented.with(&[
                name,
                self.preset.name,
                self.environment,
                name,
            ])),
        }
    }

    /// The authorize endpoint, for a start. The page's takes no name: it
    /// asks for this endpoint alone, whose name is in raw.js' text, not
    /// sent from the wasm (a type, not an ignored argument, holds that).
    #[inline(always)]
    pub(crate) fn authorize_endpoint(&self) -> Result<&str> {
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        return self.endpoint("authorize", &self.endpoints.authorize);
        #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
        match &self.endpoints.authorize {
            Some(url) => Ok(url),
            None => {
                Err(Message::AuthorizeEndpointUndocumented
                    .with(&[self.preset.name, self.environment]))
            }
        }
    }

    /// The code grant, for a start. The page's is its only grant, whose
    /// words are in raw.js' text, not sent from the wasm.
    #[inline(always)]
    pub(crate) fn require_code_grant(&self) -> Result<()> {
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        return self.require_grant(Grant::AuthorizationCode, "the authorization code grant");
        #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
        if self.supports(
            Supported::Grant(Grant::AuthorizationCode),
            self.preset.supports(Grant::AuthorizationCode),
        ) {
            Ok(())
        } else {
            Err(Message::CodeGrantUnsupported.with(&[self.preset.name]))
        }
    }

    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub(crate) fn require_grant(&self, grant: Grant, what: &str) -> Result<()> {
        self.require(Supported::Grant(grant), self.preset.supports(grant), what)
    }

    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub(crate) fn require_operation(&self, operation: Operation, what: &str) -> Result<()> {
        let preset = self.preset.operations.contains(&operation);
        self.require(Supported::Operation(operation), preset, what)
    }

    /// `by_preset` unless the `grants` option replaced the preset's list.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    fn require(&self, wanted: Supported, by_preset: bool, what: &str) -> Result<()> {
        let supported = match &self.overrides.supported {
            Some(list) => list.contains(&wanted),
            None => by_preset,
        };
        if supported {
            Ok(())
        } else {
            Err(Message::GrantUnsupported.with(&[self.preset.name, what]))
        }
    }

    /// The page's `require`, for its one grant.
    #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
    #[inline(always)]
    fn supports(&self, wanted: Supported, by_preset: bool) -> bool {
        match self.overrides.supported {
            Some(bits) => bits & wanted.bit() != 0,
            None => by_preset,
        }
    }
}

fn pick_environment<'p>(
    preset: &'p Preset,
    wanted: Option<&str>,
) -> Result<&'p crate::core::preset::Environment> {
    // No name is the first: one search for both.
    match named(preset.environments, wanted) {
        Some(env) => Ok(env),
        None => {
            let names = listed(preset.environments.iter().map(|env| env.name));
            Err(Message::EnvironmentUnknown.with(&[preset.name, &names]))
        }
    }
}

/// `names`, ", " between them (no `Vec` to join). Every name is
/// non-empty (a test in providers/mod.rs), so an empty `out` is the first.
#[inline(never)]
pub(crate) fn listed<'n>(names: impl Iterator<Item = &'n str>) -> String {
    let mut out = String::new();
    for name in names {
        if !out.is_empty() {
            put_str(&mut out, ", ");
        }
        put_str(&mut out, name);
    }
    out
}

fn check_client_id(client_id: &str) -> Result<()> {
    if !(1..=CLIENT_ID_MAX).contains(&client_id.len()) || has_control(client_id.as_bytes()) {
        return refuse(Message::ClientIdInvalid);
    }
    Ok(())
}

fn check_redirect_uri(preset: &Preset, uri: &str) -> Result<()> {
    let url = urls::check(uri, "redirectUri", ErrorCode::InvalidRedirectUri)?;
    if !preset.redirect_uri_query_allowed && url.query.is_some() {
        return Err(Message::RedirectUriQuery.with(&[preset.name]));
    }
    Ok(())
}

/// The `timeoutMs` option, one meaning for every reader: absent is 10 s;
/// outside 1 ms to 5 min is a mistake, not something to clamp. The
/// default through the same range test: page −5 B gzip.
pub fn timeout_ms(value: Option<u64>) -> Result<u32> {
    timeout_in_range(value.unwrap_or(u64::from(DEFAULT_TIMEOUT_MS)))
}

/// [`timeout_ms`] once the default is in place.
fn timeout_in_range(ms: u64) -> Result<u32> {
    match ms {
        1..=300_000 => Ok(ms as u32), // ok: bounded above
        _ => refuse(Message::TimeoutRange),
    }
}
