//! Token-endpoint requests as data (RFC 6749 §4.1.3, §6, §4.4; RFC 7662;
//! RFC 7009): method, URL, headers and body, byte for byte. The wasm layer
//! sends them through `fetch`; a caller with its own HTTP stack can too.

use crate::core::client::Client;
use crate::core::encoding::b64;
use crate::core::error::{ErrorCode, Result};
use crate::core::json::ObjectWriter;
use crate::core::messages::{refuse, Message};
use crate::core::pending::Pending;
use crate::core::preset::{BodyEncoding, ClientAuth, Grant, IntrospectionRequest, Operation, Pkce};
use crate::core::secret::Secret;
use crate::core::text::Joined;
use crate::core::urls;
use std::fmt;

const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

/// An HTTP request to send as is. Its `Debug` shows neither the query, nor
/// header values, nor the body, since each may carry a secret.
pub struct HttpRequest {
    /// `POST` to the token, introspection and revocation endpoints; `GET`
    /// for API calls.
    pub method: &'static str,
    /// The full URL; a preset that sends parameters in the query puts them
    /// (secrets too) here.
    pub url: String,
    /// Header names and values, in the order to send them.
    pub headers: Vec<(&'static str, String)>,
    /// Form-urlencoded or JSON text, as the preset says; `None` for none.
    pub body: Option<String>,
    /// Every secret this request carries, so error excerpts can be scrubbed.
    pub secrets: Vec<Secret>,
    /// The scopes asked for: an answer without `scope` granted these (RFC
    /// 6749 §5.1).
    pub scopes: Vec<String>,
}

impl HttpRequest {
    /// The first header named `name`, compared without case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every secret this request carries (see the field).
    pub fn secrets(&self) -> &[Secret] {
        &self.secrets
    }
}

impl fmt::Debug for HttpRequest {
    /// URL path only (a query may carry secrets), header names, no body.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = self.url.split('?').next().unwrap_or_default();
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| *n).collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &url)
            .field("headers", &names)
            .field("body", &self.body.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

/// A parameter and whether its value is secret.
type BodyParams = Vec<(&'static str, String, bool)>;

impl Client {
    /// Authorization code → token (RFC 6749 §4.1.3, PKCE RFC 7636 §4.5).
    pub fn code_request(&self, code: &Secret, pending: &Pending) -> Result<HttpRequest> {
        let verifier = pending.verifier.as_ref().map(Secret::expose);
        self.code_request_for(code, verifier, &pending.redirect_uri)
    }

    /// [`Self::code_request`] from a pending flow's verifier and redirect
    /// URI, borrowed where it was unsealed (the wasm's exchanges: no owned
    /// [`Pending`] copied out).
    pub(crate) fn code_request_for(
        &self,
        code: &Secret,
        verifier: Option<&str>,
        pending_redirect_uri: &str,
    ) -> Result<HttpRequest> {
        self.require_grant(Grant::AuthorizationCode, "the authorization code grant")?;
        if self.client_secret.is_none() && verifier.is_none() {
            // Without PKCE in the preset, only the secret can cure it.
            return Err(match self.preset.pkce {
                Pkce::Unsupported => Message::CodeNeedsSecret.with(&[self.preset.name]),
                _ => Message::PublicClientWithoutPkce.error(),
            });
        }
        // Every flow of a PKCE preset starts with a verifier: one without it
        // was edited (an unsealed pending value), a downgrade attempt.
        if self.preset.pkce != Pkce::Unsupported && verifier.is_none() {
            return refuse(Message::PendingWithoutVerifier);
        }
        // The configured redirect_uri, never the pending value's: an unsealed
        // pending value is only as trustworthy as where it was stored.
        let Some(redirect_uri) = self.redirect_uri.clone() else {
            return refuse(Message::CodeWithoutRedirectUri);
        };
        // §4.1.3: identical to the authorization request's. Another one
        // would only fail at the provider, as its invalid_grant.
        if redirect_uri != pending_redirect_uri {
            return refuse(Message::CodeWithAnotherRedirectUri);
        }
        let mut params: BodyParams = vec![
            ("grant_type", "authorization_code".into(), false),
            ("code", code.expose().into(), true),
            ("redirect_uri", redirect_uri, false),
        ];
        if let Some(verifier) = verifier {
            params.push(("code_verifier", verifier.into(), true));
        }
        self.token_request(params)
    }

    /// Refresh (RFC 6749 §6). `scopes` may narrow the grant.
    pub fn refresh_request(
        &self,
        refresh_token: &Secret,
        scopes: &[String],
    ) -> Result<HttpRequest> {
        self.require_grant(Grant::RefreshToken, "refresh tokens")?;
        let mut params: BodyParams = vec![
            ("grant_type", "refresh_token".into(), false),
            ("refresh_token", refresh_token.expose().into(), true),
        ];
        self.push_scopes(&mut params, scopes);
        let mut request = self.token_request(params)?;
        request.scopes = scopes.to_vec();
        Ok(request)
    }

    /// Client credentials (RFC 6749 §4.4): a confidential client only.
    pub fn client_credentials_request(&self, scopes: &[String]) -> Result<HttpRequest> {
        self.require_grant(Grant::ClientCredentials, "the client credentials grant")?;
        if self.client_secret.is_none() {
            return refuse(Message::CredentialsWithoutSecret);
        }
        let mut params: BodyParams = vec![("grant_type", "client_credentials".into(), false)];
        self.push_scopes(&mut params, scopes);
        let mut request = self.token_request(params)?;
        request.scopes = scopes.to_vec();
        Ok(request)
    }

    /// Token introspection: RFC 7662 §2.1, or a Bearer + JSON form.
    pub fn introspection_request(&self, token: &Secret) -> Result<HttpRequest> {
        self.require_operation(Operation::Introspection, "token introspection")?;
        let url = self
            .endpoint("introspect", &self.endpoints.introspect)?
            .to_owned();
        match self.preset.introspection {
            IntrospectionRequest::Rfc7662 => self.post(
                url,
                vec![
                    ("token", token.expose().into(), true),
                    ("token_type_hint", "access_token".into(), false),
                ],
                BodyEncoding::Form,
            ),
            IntrospectionRequest::BearerJson => {
                check_bearer(token)?;
                let mut request = encode(
                    url,
                    vec![("token", token.expose().into(), true)],
                    BodyEncoding::Json,
                    Vec::new(),
                )?;
                request
                    .headers
                    .push(("Authorization", ["Bearer ", token.expose()].cat()));
                Ok(request)
            }
        }
    }

    /// Revocation (RFC 7009 §2.1). `hint` is `access_token` or `refresh_token`.
    pub fn revocation_request(&self, token: &Secret, hint: Option<&str>) -> Result<HttpRequest> {
        self.require_operation(Operation::Revocation, "token revocation")?;
        let url = self.endpoint("revoke", &self.endpoints.revoke)?.to_owned();
        let mut params: BodyParams = vec![("token", token.expose().into(), true)];
        match hint {
            None => {}
            Some(hint @ ("access_token" | "refresh_token")) => {
                params.push(("token_type_hint", hint.into(), false))
            }
            Some(_) => return refuse(Message::RevocationHintUnknown),
        }
        self.post(url, params, BodyEncoding::Form)
    }

    /// A call to the provider's API with the access token as Bearer. `path`
    /// must stay on the API's host: the token goes nowhere else.
    pub fn api_request(&self, access_token: &Secret, path: &str) -> Result<HttpRequest> {
        let base = self.endpoint("api", &self.endpoints.api)?.to_owned();
        check_bearer(access_token)?;
        if !path.starts_with('/') || path.starts_with("//") || path.contains(['\\', '#']) {
            return refuse(Message::ApiPathNotAbsolute);
        }
        // An encoded / or \ is a separator to many servers and proxies that
        // decode before they resolve: `%2F..%2F` would be a dot segment there.
        if has_encoded_separator(path) {
            return refuse(Message::ApiPathEncodedSeparator);
        }
        let url = [base.trim_end_matches('/'), path].cat();
        let checked = urls::check(&url, "the API URL", ErrorCode::InvalidArgument)?;
        // fetch (WHATWG) resolves `.` and `..` segments, `%2e` spellings too:
        // `/v1/../../admin` would leave the API's base path with the token.
        if checked.path.split('/').any(urls::is_dot_segment) {
            return refuse(Message::ApiPathDotSegment);
        }
        let base_url = urls::check(&base, "endpoints.api", ErrorCode::InvalidConfig)?;
        if !checked.same_origin(&base_url) {
            return refuse(Message::ApiPathLeavesOrigin);
        }
        Ok(HttpRequest {
            method: "GET",
            url,
            headers: vec![
                ("Authorization", ["Bearer ", access_token.expose()].cat()),
                ("Accept", JSON.into()),
            ],
            body: None,
            secrets: vec![access_token.clone()],
            scopes: Vec::new(),
        })
    }

    fn push_scopes(&self, params: &mut BodyParams, scopes: &[String]) {
        if !scopes.is_empty() {
            params.push(("scope", scopes.joined(self.scope_separator()), false));
        }
    }

    fn token_request(&self, params: BodyParams) -> Result<HttpRequest> {
        let url = self.endpoint("token", &self.endpoints.token)?.to_owned();
        self.post(url, params, self.preset.token_body)
    }

    /// Adds client authentication as the preset says, then encodes.
    fn post(
        &self,
        url: String,
        mut params: BodyParams,
        encoding: BodyEncoding,
    ) -> Result<HttpRequest> {
        let mut headers = Vec::new();
        let mut credentials = Vec::new();
        match (&self.client_secret, self.preset.client_auth) {
            (Some(secret), ClientAuth::Basic) => {
                // RFC 6749 §2.3.1: both parts form-urlencoded before base64.
                let mut pair = String::new();
                urls::push_form_encoded(&mut pair, &self.client_id);
                pair.push(':');
                urls::push_form_encoded(&mut pair, secret.expose());
                let encoded = b64(pair.as_bytes());
                let header = ["Basic ", &encoded].cat();
                // What is sent is the base64 form: a server echoing the
                // header must not leak it through an error.
                credentials = vec![Secret::new(header.clone()), Secret::new(encoded)];
                headers.push(("Authorization", header));
            }
            (Some(secret), ClientAuth::Body) => {
                params.push(("client_id", self.client_id.clone(), false));
                params.push(("client_secret", secret.expose().into(), true));
            }
            (None, _) => params.push(("client_id", self.client_id.clone(), false)),
        }
        let mut request = encode(url, params, encoding, headers)?;
        request.secrets.extend(self.client_secret.iter().cloned());
        request.secrets.extend(credentials);
        Ok(request)
    }
}

/// A token about to go in an `Authorization: Bearer` header (one the caller
/// handed in; tokens read from responses were checked then).
fn check_bearer(token: &Secret) -> Result<()> {
    if crate::core::token::is_b64token(token.expose()) {
        Ok(())
    } else {
        refuse(Message::BearerCharacters)
    }
}

fn encode(
    url: String,
    params: BodyParams,
    encoding: BodyEncoding,
    mut headers: Vec<(&'static str, String)>,
) -> Result<HttpRequest> {
    let secrets = params
        .iter()
        .filter(|(_, _, secret)| *secret)
        .map(|(_, value, _)| Secret::new(value.clone()))
        .collect();
    let pairs = params
        .iter()
        .map(|(name, value, _)| (*name, value.as_str()));
    let (url, body) = match encoding {
        BodyEncoding::Form => {
            headers.push(("Content-Type", FORM.into()));
            let mut body = String::new();
            urls::push_form(&mut body, "", pairs);
            (url, Some(body))
        }
        BodyEncoding::Json => {
            headers.push(("Content-Type", JSON.into()));
            let mut body = ObjectWriter::default();
            for (name, value) in pairs {
                body.str(name, value);
            }
            (url, Some(body.finish()))
        }
        BodyEncoding::Query => (urls::with_query(&url, pairs), None),
    };
    headers.push(("Accept", JSON.into()));
    Ok(HttpRequest {
        method: "POST",
        url,
        headers,
        body,
        secrets,
        scopes: Vec::new(),
    })
}

/// Does `path` hold `%2F` or `%5C` (any case)?
fn has_encoded_separator(path: &str) -> bool {
    path.as_bytes()
        .windows(3)
        .any(|w| matches!(w, [b'%', b'2', b'f' | b'F'] | [b'%', b'5', b'c' | b'C']))
}
