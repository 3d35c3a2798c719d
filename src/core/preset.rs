//! The vocabulary a provider preset is written in. Every quirk the five
//! providers have is a field here, so the custom preset can say it too.

#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
use crate::core::dialect::Dialect;
use crate::core::error::{ErrorCode, Result};
use crate::core::options::Fields;
use crate::core::text::{owned, put_str, Joined};
use crate::core::urls;

/// A `NAMES` table's values in its order, for a reader that is given the
/// index (the wasm's options record): the names are then not linked.
// Only for consts: evaluated by the compiler, where an index out of range
// or a wrong `N` fails the build.
#[allow(clippy::indexing_slicing)]
const fn values<T: Copy, const N: usize>(names: &[(&str, T)]) -> [T; N] {
    assert!(names.len() == N);
    let mut out = [names[0].1; N];
    let mut i = 1;
    while i < N {
        out[i] = names[i].1;
        i += 1;
    }
    out
}

/// Endpoints of one environment. `None` means no source we have documents it:
/// the caller must supply it, and using it without one fails with
/// `missing_endpoint`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Endpoints {
    /// Authorization endpoint (RFC 6749 §3.1).
    pub authorize: Option<String>,
    /// Token endpoint (RFC 6749 §3.2).
    pub token: Option<String>,
    /// Introspection endpoint (RFC 7662 §2).
    pub introspect: Option<String>,
    /// Revocation endpoint (RFC 7009 §2).
    pub revoke: Option<String>,
    /// Base URL of the provider's API, for authenticated API calls.
    pub api: Option<String>,
}

impl Endpoints {
    /// Reads the `endpoints` option; an unknown name is `invalid_config`.
    pub fn read(mut fields: Fields) -> Result<Endpoints> {
        let endpoints = Endpoints {
            authorize: fields.string("authorize"),
            token: fields.string("token"),
            introspect: fields.string("introspect"),
            revoke: fields.string("revoke"),
            api: fields.string("api"),
        };
        fields.finish()?;
        Ok(endpoints)
    }

    /// `self` with every endpoint that `overrides` names replaced.
    pub fn overlay(&self, overrides: &Endpoints) -> Endpoints {
        let pick = |own: &Option<String>, other: &Option<String>| other.clone().or(own.clone());
        Endpoints {
            authorize: pick(&self.authorize, &overrides.authorize),
            token: pick(&self.token, &overrides.token),
            introspect: pick(&self.introspect, &overrides.introspect),
            revoke: pick(&self.revoke, &overrides.revoke),
            api: pick(&self.api, &overrides.api),
        }
    }

    /// The caller's endpoints as texts, in this order (what
    /// [`Self::resolve`] takes).
    pub fn texts(&self) -> [Option<&str>; 5] {
        [
            self.authorize.as_deref(),
            self.token.as_deref(),
            self.introspect.as_deref(),
            self.revoke.as_deref(),
            self.api.as_deref(),
        ]
    }

    /// `own` with every endpoint `given` names in its place (`given` in
    /// [`Self::texts`]' order), each checked and rooted as [`Self::checked`]
    /// does: `overlay` then `checked` in one pass, which builds no option
    /// name on the way. The page build keeps `authorize` alone.
    #[cfg_attr(not(feature = "server"), inline(always))]
    pub fn resolve(own: &PresetEndpoints, given: &[Option<&str>; 5]) -> Result<ClientEndpoints> {
        let mut out = ClientEndpoints::default();
        Endpoints::resolve_into(own, given, &mut out)?;
        Ok(out)
    }

    /// [`Self::resolve`] into `out`, which must be `ClientEndpoints::default()`
    /// (each kept URL is written over a `None`): a `Result<()>` is one word,
    /// where the endpoints' `Result` was tested through memory.
    #[cfg_attr(not(feature = "server"), inline(always))]
    pub(crate) fn resolve_into(
        own: &PresetEndpoints,
        given: &[Option<&str>; 5],
        out: &mut ClientEndpoints,
    ) -> Result<()> {
        // Each option's name, in `given`'s order.
        const NAMES: [&str; 5] = [
            "endpoints.authorize",
            "endpoints.token",
            "endpoints.introspect",
            "endpoints.revoke",
            "endpoints.api",
        ];
        // The API's base (the last): the one URL not given the root path.
        const API_BASE: usize = 4;
        for (i, (&what, &given)) in NAMES.iter().zip(given).enumerate() {
            let Some(url) = given.or(own.url(i)) else {
                continue;
            };
            let parsed = urls::check(url, what, ErrorCode::InvalidConfig)?;
            let Some(slot) = out.kept(i) else {
                continue;
            };
            // `&`, not `&&`: no branch, so one copy of the `owned` call below.
            let root = (i != API_BASE) & parsed.path.is_empty() & parsed.query.is_none();
            let mut url = owned(url);
            if root {
                // Not `push(char)`: no UTF-8 encoder left in the page build.
                put_str(&mut url, "/");
            }
            // Each slot is written once, over its default `None`: nothing
            // to drop (an assignment called the drop of the old value).
            std::mem::forget(slot.replace(url));
        }
        Ok(())
    }

    /// Every endpoint checked once (see `urls::check`), and given the root
    /// path when it has none, so requests can append a query directly.
    pub fn checked(mut self) -> Result<Endpoints> {
        let slots = [
            ("authorize", &mut self.authorize),
            ("token", &mut self.token),
            ("introspect", &mut self.introspect),
            ("revoke", &mut self.revoke),
            ("api", &mut self.api),
        ];
        for (name, slot) in slots {
            if let Some(url) = slot {
                let parsed =
                    urls::check(url, &["endpoints.", name].cat(), ErrorCode::InvalidConfig)?;
                if parsed.path.is_empty() && parsed.query.is_none() && name != "api" {
                    url.push('/');
                }
            }
        }
        Ok(self)
    }
}

#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
impl Endpoints {
    /// Where `resolve` keeps the URL of index `i` ([`Self::texts`]' order).
    fn kept(&mut self, i: usize) -> Option<&mut Option<String>> {
        match i {
            0 => Some(&mut self.authorize),
            1 => Some(&mut self.token),
            2 => Some(&mut self.introspect),
            3 => Some(&mut self.revoke),
            4 => Some(&mut self.api),
            _ => None,
        }
    }
}

/// The endpoints a client keeps ([`Endpoints::resolve`]'s result): every
/// one, but in the page build (wasm32 without `server`), which sends no
/// request, `authorize` alone (the others are checked, not kept).
#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
pub type ClientEndpoints = Endpoints;

/// The endpoints a client keeps: the page build's starts read `authorize`
/// alone.
#[cfg(all(target_arch = "wasm32", not(feature = "server")))]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientEndpoints {
    /// Authorization endpoint (RFC 6749 §3.1).
    pub authorize: Option<String>,
}

#[cfg(all(target_arch = "wasm32", not(feature = "server")))]
impl ClientEndpoints {
    /// Where `resolve` keeps the URL of index `i`: `authorize` alone (the
    /// page build sends no request; the others are checked, not kept).
    fn kept(&mut self, i: usize) -> Option<&mut Option<String>> {
        (i == 0).then_some(&mut self.authorize)
    }
}

/// A preset's environment: static data, so presets cost no code to build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Environment {
    /// The `environment` option's value that selects it.
    pub name: &'static str,
    /// Its endpoints.
    pub endpoints: PresetEndpoints,
}

/// Endpoints as a preset writes them; `None` where no source documents one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PresetEndpoints {
    /// Authorization endpoint (RFC 6749 §3.1).
    pub authorize: Option<&'static str>,
    /// Token endpoint (RFC 6749 §3.2). It and the three below are absent
    /// from the page build only (wasm32 without `server`), which sends
    /// nothing: it links none of them.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub token: Option<&'static str>,
    /// Introspection endpoint (RFC 7662 §2).
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub introspect: Option<&'static str>,
    /// Revocation endpoint (RFC 7009 §2).
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub revoke: Option<&'static str>,
    /// Base URL of the provider's API.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub api: Option<&'static str>,
}

impl PresetEndpoints {
    /// No endpoint: a preset names the ones its sources document,
    /// `PresetEndpoints { token: Some(..), ..PresetEndpoints::NONE }`.
    pub const NONE: PresetEndpoints = PresetEndpoints {
        authorize: None,
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        token: None,
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        introspect: None,
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        revoke: None,
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        api: None,
    };

    /// The URL of index `i` in `Endpoints`' order.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    fn url(&self, i: usize) -> Option<&'static str> {
        self.urls().get(i).copied().flatten()
    }

    /// The URL of index `i`: the page build's presets have only `authorize`.
    #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
    fn url(&self, i: usize) -> Option<&'static str> {
        self.authorize.filter(|_| i == 0)
    }

    /// Every URL, in `Endpoints`' order (the page build's presets have only
    /// `authorize`).
    fn urls(&self) -> [Option<&'static str>; 5] {
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        let rest = [self.token, self.introspect, self.revoke, self.api];
        #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
        let rest = [None; 4];
        let [token, introspect, revoke, api] = rest;
        [self.authorize, token, introspect, revoke, api]
    }
}

impl From<&PresetEndpoints> for Endpoints {
    fn from(urls: &PresetEndpoints) -> Endpoints {
        let own = |url: Option<&str>| url.map(owned);
        let [authorize, token, introspect, revoke, api] = urls.urls();
        Endpoints {
            authorize: own(authorize),
            token: own(token),
            introspect: own(introspect),
            revoke: own(revoke),
            api: own(api),
        }
    }
}

/// A grant type (RFC 6749 §4), spelled as its `grant_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grant {
    /// RFC 6749 §4.1.
    AuthorizationCode,
    /// RFC 6749 §6.
    RefreshToken,
    /// RFC 6749 §4.4.
    ClientCredentials,
}

/// A token operation besides the grants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// RFC 7662.
    Introspection,
    /// RFC 7009.
    Revocation,
}

/// An entry of the `grants` option, which names operations too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Supported {
    /// A grant type.
    Grant(Grant),
    /// A token operation.
    Operation(Operation),
}

impl Supported {
    /// The option's spellings.
    pub const NAMES: &'static [(&'static str, Supported)] = &[
        (
            "authorization_code",
            Supported::Grant(Grant::AuthorizationCode),
        ),
        ("refresh_token", Supported::Grant(Grant::RefreshToken)),
        (
            "client_credentials",
            Supported::Grant(Grant::ClientCredentials),
        ),
        (
            "introspection",
            Supported::Operation(Operation::Introspection),
        ),
        ("revocation", Supported::Operation(Operation::Revocation)),
    ];

    /// `NAMES`' values, by index.
    pub const VALUES: [Supported; Supported::NAMES.len()] = values(Supported::NAMES);

    /// Its bit in the page build's set of them: 1 shifted by its index in
    /// `NAMES` (a test compares them).
    #[cfg(any(test, all(target_arch = "wasm32", not(feature = "server"))))]
    pub const fn bit(self) -> u8 {
        match self {
            Supported::Grant(Grant::AuthorizationCode) => 1,
            Supported::Grant(Grant::RefreshToken) => 2,
            Supported::Grant(Grant::ClientCredentials) => 4,
            Supported::Operation(Operation::Introspection) => 8,
            Supported::Operation(Operation::Revocation) => 16,
        }
    }
}

/// The grant types a preset supports: a list, or in the page build
/// (wasm32 without `server`) the set of their `Supported::bit`s, one
/// byte beside the preset's flags (no list linked or searched).
#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
pub type Grants = &'static [Grant];

/// The grant types a preset supports: the set of their
/// [`Supported::bit`]s.
#[cfg(all(target_arch = "wasm32", not(feature = "server")))]
pub type Grants = u8;

/// A preset's `grants`, written as their list.
#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
pub const fn grants(list: &'static [Grant]) -> Grants {
    list
}

/// A preset's `grants`, written as their list: the page build's set.
#[cfg(all(target_arch = "wasm32", not(feature = "server")))]
pub const fn grants(mut list: &'static [Grant]) -> Grants {
    let mut bits = 0;
    while let [grant, rest @ ..] = list {
        bits |= Supported::Grant(*grant).bit();
        list = rest;
    }
    bits
}

impl Preset {
    /// Whether the preset itself supports `grant`.
    pub(crate) fn supports(&self, grant: Grant) -> bool {
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        return self.grants.contains(&grant);
        #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
        return self.grants & Supported::Grant(grant).bit() != 0;
    }
}

/// Whether the authorize request carries `response_type=code`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponseType {
    /// RFC 6749 §4.1.1.
    Code,
    /// Not sent: a login page that takes no such parameter.
    Omitted,
}

/// Whether the authorize request carries a PKCE S256 challenge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pkce {
    /// The provider demands it: always sent.
    Required,
    /// The provider accepts it: sent, since it costs nothing.
    Supported,
    /// No source documents it: not sent.
    Unsupported,
}

impl Pkce {
    /// The names the `preset` option spells it with.
    pub const NAMES: &'static [(&'static str, Pkce)] = &[
        ("required", Pkce::Required),
        ("supported", Pkce::Supported),
        ("unsupported", Pkce::Unsupported),
    ];

    /// `NAMES`' values, by index.
    pub const VALUES: [Pkce; Pkce::NAMES.len()] = values(Pkce::NAMES);
}

/// How the client proves its identity at the token endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientAuth {
    /// `client_id` and `client_secret` in the request body.
    Body,
    /// HTTP Basic (RFC 6749 §2.3.1).
    Basic,
}

impl ClientAuth {
    /// The names the `preset` option spells it with.
    pub const NAMES: &'static [(&'static str, ClientAuth)] =
        &[("body", ClientAuth::Body), ("basic", ClientAuth::Basic)];

    /// `NAMES`' values, by index.
    pub const VALUES: [ClientAuth; ClientAuth::NAMES.len()] = values(ClientAuth::NAMES);
}

/// How token-endpoint parameters are encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/x-www-form-urlencoded` (RFC 6749's default).
    Form,
    /// `application/json`.
    Json,
    /// In the URL's query string. Puts the secret in a URL: opt-in only.
    Query,
}

impl BodyEncoding {
    /// The names the `preset` option spells it with.
    pub const NAMES: &'static [(&'static str, BodyEncoding)] = &[
        ("form", BodyEncoding::Form),
        ("json", BodyEncoding::Json),
        ("query", BodyEncoding::Query),
    ];

    /// `NAMES`' values, by index.
    pub const VALUES: [BodyEncoding; BodyEncoding::NAMES.len()] = values(BodyEncoding::NAMES);
}

/// How token introspection is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntrospectionRequest {
    /// RFC 7662: form body `token=…`, client authentication.
    Rfc7662,
    /// `Authorization: Bearer <token>` and JSON `{"token": …}`.
    BearerJson,
}

impl IntrospectionRequest {
    /// The names the `preset` option spells it with.
    pub const NAMES: &'static [(&'static str, IntrospectionRequest)] = &[
        ("rfc7662", IntrospectionRequest::Rfc7662),
        ("bearer_json", IntrospectionRequest::BearerJson),
    ];

    /// `NAMES`' values, by index.
    pub const VALUES: [IntrospectionRequest; IntrospectionRequest::NAMES.len()] =
        values(IntrospectionRequest::NAMES);
}

/// An entry a preset's option names: an environment, a token kind.
pub(crate) trait Named {
    /// The option's value that selects it.
    fn name(&self) -> &str;
}

impl Named for Environment {
    fn name(&self) -> &str {
        self.name
    }
}

impl Named for TokenKind {
    fn name(&self) -> &str {
        self.name
    }
}

/// The entry named `wanted`, or the first when none is wanted. Out of
/// line in the page build, where environments and token kinds are laid
/// out alike (a name, then 8 bytes): one function for both searches
/// there. Inlined elsewhere, as the searches it replaced were.
#[cfg_attr(all(target_arch = "wasm32", not(feature = "server")), inline(never))]
#[cfg_attr(any(feature = "server", not(target_arch = "wasm32")), inline(always))]
pub(crate) fn named<'a, T: Named>(items: &'a [T], wanted: Option<&str>) -> Option<&'a T> {
    items
        .iter()
        .find(|item| wanted.is_none_or(|name| item.name() == name))
}

/// A kind of token one provider issues from the same authorize endpoint
/// (e.g. a company token and a user token).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenKind {
    /// The `tokenKind` option's value that selects it.
    pub name: &'static str,
    /// Extra authorize parameters that select this kind.
    pub authorize_params: &'static [(&'static str, &'static str)],
    /// Tokens of this kind never expire unless the response says otherwise.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub never_expires: bool,
}

/// Requests per second one client application may make, across all of its
/// tokens; reads are GET and HEAD, writes every other method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Reads per second.
    pub reads_per_second: u32,
    /// Writes per second.
    pub writes_per_second: u32,
}

/// A provider's description: static data, so a preset costs no code to
/// build. What the `preset` option sets in place of its lists and strings
/// is kept beside it, in `Overrides`. The page build (wasm32 without
/// `server`) sends no token request and reads no answer: the fields only
/// exchanges read do not exist there, as `PresetEndpoints`' URLs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    /// Its key in `providers::PROVIDERS` (checked by tests/presets.rs).
    pub name: &'static str,
    /// The first is the default.
    pub environments: &'static [Environment],
    /// The grant types it supports (`grants` of their list).
    pub grants: Grants,
    /// The token operations it supports.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub operations: &'static [Operation],
    /// Whether the authorize URL carries `response_type=code`.
    pub response_type: ResponseType,
    /// Joins scopes in the authorize URL (RFC 6749 §3.3: a space).
    pub scope_separator: &'static str,
    /// PKCE (RFC 7636): required, sent, or not sent.
    pub pkce: Pkce,
    /// Fixed extra authorize parameters.
    pub authorize_params: &'static [(&'static str, &'static str)],
    /// The first is the default; empty when the provider has one kind.
    pub token_kinds: &'static [TokenKind],
    /// How the client authenticates at the token endpoint.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub client_auth: ClientAuth,
    /// How token-endpoint parameters are encoded.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub token_body: BodyEncoding,
    /// Callback parameter names that carry the code, in order of preference.
    pub code_params: &'static [&'static str],
    /// Whether `redirect_uri` may carry its own query parameters.
    pub redirect_uri_query_allowed: bool,
    /// Tokens never expire unless the response says otherwise.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub never_expires: bool,
    /// Lifetime assumed when a response gives no expiry, in seconds.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub default_lifetime: Option<u64>,
    /// How long a refresh token lasts, in seconds, where the provider says
    /// (e.g. 90 days): refresh before it runs out, even without traffic.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub refresh_token_lifetime: Option<u64>,
    /// One token per company: introspection names the token's
    /// company, and a new token for a company invalidates the previous one.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub one_token_per_company: bool,
    /// The API's rate limit where a source documents it per client
    /// application (not per token): one budget for every connection of a
    /// client id. `None` where no source says it is per application.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub rate_limit: Option<RateLimit>,
    /// How introspection is asked for.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub introspection: IntrospectionRequest,
    /// How the provider's answers read (casing, expiry, scopes, errors).
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub response: Dialect,
    /// Expected `iss` on the callback (RFC 9207), when the provider sends one.
    pub issuer: Option<&'static str>,
}

impl Preset {
    /// RFC 6749 + RFC 7636 (+ RFC 7662, RFC 7009) as written, with no
    /// endpoints: a provider's constant starts here and lists its
    /// deviations.
    pub const RFC6749: Preset = Preset {
        name: "rfc6749",
        environments: &[Environment {
            name: "default",
            endpoints: PresetEndpoints::NONE,
        }],
        grants: grants(&[
            Grant::AuthorizationCode,
            Grant::RefreshToken,
            Grant::ClientCredentials,
        ]),
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        operations: &[Operation::Introspection, Operation::Revocation],
        response_type: ResponseType::Code,
        scope_separator: " ",
        pkce: Pkce::Supported,
        authorize_params: &[],
        token_kinds: &[],
        // RFC 6749 §2.3.1: servers MUST support HTTP Basic.
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        client_auth: ClientAuth::Basic,
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        token_body: BodyEncoding::Form,
        code_params: &["code"],
        redirect_uri_query_allowed: true,
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        never_expires: false,
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        default_lifetime: None,
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        refresh_token_lifetime: None,
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        one_token_per_company: false,
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        rate_limit: None,
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        introspection: IntrospectionRequest::Rfc7662,
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        response: Dialect::RFC6749,
        issuer: None,
    };
}

/// What the `preset` option sets in place of a preset's lists and strings;
/// `None` keeps the preset's.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// The `grants` option: grants and operations in one list.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub supported: Option<Vec<Supported>>,
    /// The page build's: a set of [`Supported::bit`]s, no list to build,
    /// search and drop.
    #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
    pub supported: Option<u8>,
    /// `scopeSeparator`.
    pub scope_separator: Option<String>,
    /// `authorizeParams`.
    pub authorize_params: Option<Vec<(String, String)>>,
    /// `codeParams`.
    pub code_params: Option<Vec<String>>,
    /// `issuer`.
    pub issuer: Option<String>,
}

/// Caller overrides of a preset's quirks (the `preset` client option). For
/// the custom preset these describe the provider; for the others they adjust
/// one detail a source leaves open (e.g. a scope separator). The page
/// build (wasm32 without `server`) reads and refuses the exchange options
/// alike, and keeps none of them, as `Preset` has none of their fields.
#[derive(Clone, Debug, Default)]
pub struct PresetPatch {
    /// `responseType`: whether `response_type=code` is sent.
    pub response_type: Option<ResponseType>,
    /// `pkce`.
    pub pkce: Option<Pkce>,
    /// `clientAuth`.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub client_auth: Option<ClientAuth>,
    /// `tokenBody`.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub token_body: Option<BodyEncoding>,
    /// `redirectUriQueryAllowed`.
    pub redirect_uri_query_allowed: Option<bool>,
    /// `neverExpires`.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub never_expires: Option<bool>,
    /// `defaultLifetime`, in seconds.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub default_lifetime: Option<u64>,
    /// `refreshTokenLifetime`, in seconds.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub refresh_token_lifetime: Option<u64>,
    /// `introspection`.
    #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
    pub introspection: Option<IntrospectionRequest>,
    /// The lists and strings (`grants`, `scopeSeparator`, `codeParams`, …).
    pub overrides: Overrides,
}

impl PresetPatch {
    /// Reads the `preset` option; an unknown name is `invalid_config`.
    // The page build reads the exchange options it does not keep.
    #[cfg_attr(
        all(target_arch = "wasm32", not(feature = "server")),
        allow(unused_variables)
    )]
    pub fn read(mut fields: Fields) -> Result<PresetPatch> {
        let response_type = fields.bool("responseType").map(|send| match send {
            true => ResponseType::Code,
            false => ResponseType::Omitted,
        });
        let pkce = fields.choice("pkce", Pkce::NAMES);
        let client_auth = fields.choice("clientAuth", ClientAuth::NAMES);
        let token_body = fields.choice("tokenBody", BodyEncoding::NAMES);
        let redirect_uri_query_allowed = fields.bool("redirectUriQueryAllowed");
        let never_expires = fields.bool("neverExpires");
        let default_lifetime = fields.u64("defaultLifetime");
        let refresh_token_lifetime = fields.u64("refreshTokenLifetime");
        let introspection = fields.choice("introspection", IntrospectionRequest::NAMES);
        let patch = PresetPatch {
            response_type,
            pkce,
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            client_auth,
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            token_body,
            redirect_uri_query_allowed,
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            never_expires,
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            default_lifetime,
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            refresh_token_lifetime,
            #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
            introspection,
            overrides: Overrides {
                #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
                supported: fields.choices("grants", Supported::NAMES),
                #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
                supported: fields
                    .choices("grants", Supported::NAMES)
                    .map(|list| list.iter().fold(0, |bits, entry| bits | entry.bit())),
                scope_separator: fields.string("scopeSeparator"),
                authorize_params: fields.string_map("authorizeParams"),
                code_params: fields.strings("codeParams"),
                issuer: fields.string("issuer"),
            },
        };
        fields.finish()?;
        Ok(patch)
    }

    /// Sets the preset's flags; returns its list and string overrides.
    pub fn apply(self, preset: &mut Preset) -> Overrides {
        fn set<T>(slot: &mut T, value: Option<T>) {
            if let Some(value) = value {
                *slot = value;
            }
        }
        set(&mut preset.response_type, self.response_type);
        set(&mut preset.pkce, self.pkce);
        set(
            &mut preset.redirect_uri_query_allowed,
            self.redirect_uri_query_allowed,
        );
        // The page build's presets and patches have no exchange fields.
        #[cfg(any(feature = "server", not(target_arch = "wasm32")))]
        {
            set(&mut preset.client_auth, self.client_auth);
            set(&mut preset.token_body, self.token_body);
            set(&mut preset.never_expires, self.never_expires);
            set(&mut preset.introspection, self.introspection);
            if self.default_lifetime.is_some() {
                preset.default_lifetime = self.default_lifetime;
            }
            if self.refresh_token_lifetime.is_some() {
                preset.refresh_token_lifetime = self.refresh_token_lifetime;
            }
        }
        self.overrides
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::providers::PROVIDERS;

    // The record reader maps an index through `VALUES`: the value `NAMES`
    // gives at that index, for every table.
    #[test]
    fn values_are_names_values_in_order() {
        fn same<T: Copy + PartialEq + std::fmt::Debug>(names: &[(&str, T)], values: &[T]) {
            let expected: Vec<T> = names.iter().map(|(_, value)| *value).collect();
            assert_eq!(values, expected.as_slice());
        }
        same(Supported::NAMES, &Supported::VALUES);
        same(Pkce::NAMES, &Pkce::VALUES);
        same(ClientAuth::NAMES, &ClientAuth::VALUES);
        same(BodyEncoding::NAMES, &BodyEncoding::VALUES);
        same(IntrospectionRequest::NAMES, &IntrospectionRequest::VALUES);
    }

    // The page build's `grants` set: an entry's bit is 1 shifted by the
    // index the record gives it.
    #[test]
    fn a_supported_bit_is_its_index() {
        for (index, value) in Supported::VALUES.iter().enumerate() {
            assert_eq!(value.bit(), 1 << index);
        }
    }

    // `resolve` is `overlay` then `checked`, in one pass: the same endpoints,
    // or the same error, for every environment and a mix of given ones.
    #[test]
    fn resolve_is_overlay_then_checked() {
        let urls = [
            None,
            Some("https://a.example"),
            Some("https://a.example/x?y=1"),
            Some("https://a.example?y"),
            Some("http://127.0.0.1:8080"),
            Some("ftp://a.example/"),
            Some("https://a.example/#f"),
            Some(""),
        ];
        let own = |i: usize| {
            urls.get(i % urls.len())
                .copied()
                .flatten()
                .map(str::to_owned)
        };
        for (_, preset) in PROVIDERS {
            for environment in preset.environments {
                for seed in 0..200 {
                    let given = Endpoints {
                        authorize: own(seed),
                        token: own(seed / 2 + 1),
                        introspect: own(seed / 3 + 2),
                        revoke: own(seed / 5 + 3),
                        api: own(seed / 7 + 4),
                    };
                    let old = Endpoints::from(&environment.endpoints)
                        .overlay(&given)
                        .checked();
                    let new = Endpoints::resolve(&environment.endpoints, &given.texts());
                    match (old, new) {
                        (Ok(old), Ok(new)) => assert_eq!(old, new),
                        (Err(old), Err(new)) => assert_eq!(old, new),
                        (old, new) => panic!("{given:?}: {old:?} against {new:?}"),
                    }
                }
            }
        }
    }
}
