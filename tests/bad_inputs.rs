//! Hostile inputs across the public API, each expecting one specific typed
//! error. Limits are documented in README ("Limits").
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use partner_oauth::core::keys::StateKeys;
use partner_oauth::core::state::{self, StateData};
use partner_oauth::core::{jwt, pkce};
use partner_oauth::{
    Client, ClientOptions, Error, ErrorCode, HttpRequest, HttpResponse, Secret, StartOptions,
};
use serde_json::json;

type Case = (&'static str, ErrorCode, Box<dyn Fn() -> Result<(), Error>>);

fn build(options: String) -> Result<(), Error> {
    Client::new(ClientOptions::from_json(&options)?).map(|_| ())
}

fn with(extra: serde_json::Value) -> Result<(), Error> {
    build(options("billit", extra).to_string())
}

fn start(provider: &str, opts: serde_json::Value) -> Result<(), Error> {
    let client = client(provider, json!({}));
    let opts = StartOptions::from_json(&opts.to_string())?;
    client
        .start_authorization(&opts, NOW, &entropy())
        .map(|_| ())
}

/// A Billit flow (sealed with KEY) and a callback for it built by `make`.
fn callback(make: impl Fn(&str) -> String) -> Result<(), Error> {
    let client = client("billit", json!({"stateKey": KEY}));
    let started = client.start_authorization(&StartOptions::default(), NOW, &entropy())?;
    client
        .parse_callback(&make(&started.state), started.pending.expose(), NOW)
        .map(|_| ())
}

fn pending(make: impl Fn(&str) -> String) -> Result<(), Error> {
    let client = client("billit", json!({"stateKey": KEY}));
    let started = client.start_authorization(&StartOptions::default(), NOW, &entropy())?;
    let query = format!("code=a&state={}", started.state);
    client
        .parse_callback(&query, &make(started.pending.expose()), NOW)
        .map(|_| ())
}

fn token(status: u16, body: String) -> Result<(), Error> {
    let client = client("billit", json!({"clientSecret": "s3cr3t-value"}));
    let request = client.refresh_request(&Secret::new("refresh-value"), &[])?;
    let response = HttpResponse {
        status,
        www_authenticate: None,
        body,
    };
    client
        .parse_token_response(&request, &response, NOW, None)
        .map(|_| ())
}

fn decode_state(text: String) -> Result<(), Error> {
    let keys = StateKeys::new(vec![Secret::new(KEY)])?;
    state::decode(&text, Some(&keys), NOW, 600).map(|_| ())
}

fn cases() -> Vec<Case> {
    use ErrorCode::*;
    let megabyte = "a".repeat(1 << 20);
    let mb = move || megabyte.clone();
    let mut cases: Vec<Case> = vec![
        // Client options.
        (
            "options: not JSON",
            InvalidConfig,
            Box::new(|| build("{provider:".into())),
        ),
        (
            "options: an array",
            InvalidConfig,
            Box::new(|| build("[]".into())),
        ),
        (
            "options: nested 100 000 deep",
            InvalidConfig,
            Box::new(|| build(format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)))),
        ),
        (
            "options: duplicate clientId",
            InvalidConfig,
            Box::new(|| build(r#"{"provider":"billit","clientId":"a","clientId":"b"}"#.into())),
        ),
        (
            "options: unknown option",
            InvalidConfig,
            Box::new(|| with(json!({"redirect_uri": REDIRECT}))),
        ),
        (
            "options: clientId with NUL",
            InvalidConfig,
            Box::new(|| with(json!({"clientId": "a\u{0}b"}))),
        ),
        (
            "options: 1 MB clientId",
            InvalidConfig,
            Box::new({
                let mb = mb.clone();
                move || with(json!({"clientId": mb()}))
            }),
        ),
        (
            "options: clientId a number",
            InvalidConfig,
            Box::new(|| with(json!({"clientId": 42}))),
        ),
        (
            "options: unknown provider",
            UnknownProvider,
            Box::new(|| build(options("paypal", json!({})).to_string())),
        ),
        (
            "options: provider with NUL",
            UnknownProvider,
            Box::new(|| build(options("billit\u{0}", json!({})).to_string())),
        ),
        (
            "options: unknown environment",
            UnknownEnvironment,
            Box::new(|| with(json!({"environment": "staging"}))),
        ),
        (
            "redirect: javascript:",
            InvalidRedirectUri,
            Box::new(|| with(json!({"redirectUri": "javascript:alert(1)"}))),
        ),
        (
            "redirect: data:",
            InvalidRedirectUri,
            Box::new(|| with(json!({"redirectUri": "data:text/html,<script>"}))),
        ),
        (
            "redirect: http on a public host",
            InvalidRedirectUri,
            Box::new(|| with(json!({"redirectUri": "http://app.example.com/cb"}))),
        ),
        (
            "redirect: http on localhost.evil.com",
            InvalidRedirectUri,
            Box::new(|| with(json!({"redirectUri": "http://localhost.evil.com/cb"}))),
        ),
        (
            "redirect: http on 127.1 (shorthand)",
            InvalidRedirectUri,
            Box::new(|| with(json!({"redirectUri": "http://127.1/cb"}))),
        ),
        (
            "redirect: user:password@",
            InvalidRedirectUri,
            Box::new(|| with(json!({"redirectUri": "https://app.example.com@evil.com/cb"}))),
        ),
        (
            "redirect: backslash",
            InvalidRedirectUri,
            Box::new(|| with(json!({"redirectUri": "https://evil.com\\@app.example.com/cb"}))),
        ),
        (
            "redirect: percent-encoded host",
            InvalidRedirectUri,
            Box::new(|| with(json!({"redirectUri": "https://%65vil.com/cb"}))),
        ),
        (
            "redirect: non-ASCII host",
            InvalidRedirectUri,
            Box::new(|| with(json!({"redirectUri": "https://аpp.example.com/cb"}))),
        ),
        (
            "redirect: fragment",
            InvalidRedirectUri,
            Box::new(|| with(json!({"redirectUri": "https://app.example.com/cb#x"}))),
        ),
        (
            "redirect: Billit with a query",
            InvalidRedirectUri,
            Box::new(|| with(json!({"redirectUri": "https://app.example.com/cb?user=1"}))),
        ),
        (
            "endpoint: http on a public host",
            InvalidConfig,
            Box::new(|| with(json!({"endpoints": {"token": "http://evil.example.com/t"}}))),
        ),
        (
            "endpoint: unknown endpoint name",
            InvalidConfig,
            Box::new(|| with(json!({"endpoints": {"tokens": "https://x.com"}}))),
        ),
        (
            "stateKey: 31 bytes",
            InvalidConfig,
            Box::new(|| with(json!({"stateKey": "k".repeat(31)}))),
        ),
        (
            "stateKey: a number",
            InvalidConfig,
            Box::new(|| with(json!({"stateKey": 12345678}))),
        ),
        (
            "stateKey: nine keys",
            InvalidConfig,
            Box::new(|| with(json!({"stateKey": vec![KEY; 9]}))),
        ),
        (
            "stateMaxAge: negative",
            InvalidConfig,
            Box::new(|| with(json!({"stateMaxAge": -1}))),
        ),
        (
            "stateMaxAge: 1e9 as a float",
            InvalidConfig,
            Box::new(|| build(r#"{"provider":"billit","clientId":"c","stateMaxAge":1e9}"#.into())),
        ),
        (
            "stateMaxAge: beyond u64",
            InvalidConfig,
            Box::new(|| {
                build(
                    r#"{"provider":"billit","clientId":"c","stateMaxAge":99999999999999999999999}"#
                        .into(),
                )
            }),
        ),
        (
            "timeoutMs: zero",
            InvalidConfig,
            Box::new(|| with(json!({"timeoutMs": 0}))),
        ),
        (
            "preset: pkce maybe",
            InvalidConfig,
            Box::new(|| with(json!({"preset": {"pkce": "maybe"}}))),
        ),
        (
            "preset: grants not a list",
            InvalidConfig,
            Box::new(|| with(json!({"preset": {"grants": "refresh_token"}}))),
        ),
        // Starting a flow.
        (
            "start: scope with a space",
            InvalidArgument,
            Box::new(|| start("payfit", json!({"scopes": ["a b"]}))),
        ),
        (
            "start: scope with a quote",
            InvalidArgument,
            Box::new(|| start("payfit", json!({"scopes": ["a\"b"]}))),
        ),
        (
            "start: scope with NUL",
            InvalidArgument,
            Box::new(|| start("payfit", json!({"scopes": ["a\u{0}"]}))),
        ),
        (
            "start: 101 scopes",
            InvalidArgument,
            Box::new(|| start("payfit", json!({"scopes": vec!["s"; 101]}))),
        ),
        (
            "start: 1 MB payload",
            InputTooLarge,
            Box::new({
                let mb = mb.clone();
                move || start("billit", json!({"payload": mb()}))
            }),
        ),
        (
            "start: tokenKind where there is none",
            InvalidArgument,
            Box::new(|| start("billit", json!({"tokenKind": "company"}))),
        ),
        (
            "start: params overriding state",
            InvalidArgument,
            Box::new(|| start("billit", json!({"params": {"state": "x"}}))),
        ),
        (
            "start: params overriding resource_owner_type",
            InvalidArgument,
            Box::new(|| {
                start(
                    "factorial",
                    json!({"params": {"resource_owner_type": "user"}}),
                )
            }),
        ),
        // Callbacks.
        (
            "callback: 1 MB URL",
            InputTooLarge,
            Box::new({
                let mb = mb.clone();
                move || callback(|s| format!("{REDIRECT}?code={}&state={s}", mb()))
            }),
        ),
        (
            "callback: 1 MB state",
            InputTooLarge,
            Box::new({
                let mb = mb.clone();
                move || callback(|_| format!("code=a&state={}", mb()))
            }),
        ),
        (
            "callback: NUL in code",
            InvalidCallback,
            Box::new(|| callback(|s| format!("{REDIRECT}?code=a%00b&state={s}"))),
        ),
        (
            "callback: raw newline",
            InvalidCallback,
            Box::new(|| callback(|s| format!("{REDIRECT}?code=a\nb&state={s}"))),
        ),
        (
            "callback: not UTF-8 once decoded",
            InvalidCallback,
            Box::new(|| callback(|s| format!("{REDIRECT}?code=%FF%FE&state={s}"))),
        ),
        (
            "callback: duplicate code",
            InvalidCallback,
            Box::new(|| callback(|s| format!("{REDIRECT}?code=a&code=b&state={s}"))),
        ),
        (
            "callback: duplicate state",
            InvalidCallback,
            Box::new(|| callback(|s| format!("{REDIRECT}?code=a&state={s}&state={s}"))),
        ),
        (
            "callback: response in the fragment",
            InvalidCallback,
            Box::new(|| callback(|s| format!("{REDIRECT}#code=a&state={s}"))),
        ),
        (
            "callback: javascript: URL",
            InvalidCallback,
            Box::new(|| callback(|_| "javascript:alert(1)".into())),
        ),
        (
            "callback: ftp URL",
            InvalidCallback,
            Box::new(|| callback(|s| format!("ftp://app.example.com/cb?code=a&state={s}"))),
        ),
        // %2E decodes to the same `.` (equal, accepted); %252E does not.
        (
            "callback: double-encoded state",
            StateMismatch,
            Box::new(|| callback(|s| format!("code=a&state={}", s.replace('.', "%252E")))),
        ),
        (
            "callback: state with a trailing space",
            StateMismatch,
            Box::new(|| callback(|s| format!("code=a&state={s}+"))),
        ),
        (
            "callback: no state",
            StateMismatch,
            Box::new(|| callback(|_| "code=a".into())),
        ),
        (
            "callback: denial",
            AccessDenied,
            Box::new(|| callback(|_| "error=access_denied".into())),
        ),
        (
            "callback: 10 KB error description",
            AuthorizationError,
            Box::new(|| {
                callback(|s| {
                    format!(
                        "error=server_error&error_description={}&state={s}",
                        "x".repeat(10_000)
                    )
                })
            }),
        ),
        (
            "callback: no code",
            MissingCode,
            Box::new(|| callback(|s| format!("state={s}"))),
        ),
        // Pending values.
        (
            "pending: garbage",
            InvalidPending,
            Box::new(|| pending(|_| "hello".into())),
        ),
        (
            "pending: 1 MB",
            InputTooLarge,
            Box::new({
                let mb = mb.clone();
                move || pending(|_| mb())
            }),
        ),
        (
            "pending: seal removed",
            InvalidPending,
            Box::new(|| {
                pending(|p| {
                    p.rsplit_once('.')
                        .map(|(body, _)| body.to_owned())
                        .unwrap_or_default()
                })
            }),
        ),
        (
            "pending: seal from another key",
            InvalidPending,
            Box::new(|| {
                pending(|p| {
                    format!(
                        "{}.{}",
                        p.rsplit_once('.').map(|(b, _)| b).unwrap_or_default(),
                        "A".repeat(43)
                    )
                })
            }),
        ),
        (
            "pending: truncated body",
            InvalidPending,
            Box::new(|| pending(|p| p.get(..20).unwrap_or_default().to_owned())),
        ),
        // States.
        (
            "state: 1 MB",
            InputTooLarge,
            Box::new({
                let mb = mb.clone();
                move || decode_state(mb())
            }),
        ),
        (
            "state: forged signature",
            InvalidState,
            Box::new(|| decode_state(format!("{STATE}.{}", "A".repeat(43)))),
        ),
        (
            "state: bad base64",
            InvalidState,
            Box::new(|| decode_state("!!!.AAAA".into())),
        ),
        (
            "state: from the future",
            InvalidState,
            Box::new(|| {
                let keys = StateKeys::new(vec![Secret::new(KEY)])?;
                let future = StateData {
                    created_at: NOW + 3600,
                    nonce: [0; 16],
                    payload: None,
                };
                state::decode(&state::encode(&future, Some(&keys))?, Some(&keys), NOW, 600)
                    .map(|_| ())
            }),
        ),
        // Token responses.
        (
            "token: 10 MB body",
            InputTooLarge,
            Box::new(|| {
                token(
                    200,
                    format!("{{\"access_token\":\"{}\"}}", "a".repeat(10 << 20)),
                )
            }),
        ),
        (
            "token: nested 100 000 deep",
            InvalidResponse,
            Box::new(|| {
                token(
                    200,
                    format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
                )
            }),
        ),
        (
            "token: duplicate access_token",
            InvalidResponse,
            Box::new(|| token(200, r#"{"access_token":"a","access_token":"b"}"#.into())),
        ),
        (
            "token: expires_in 1e400",
            InvalidResponse,
            Box::new(|| token(200, r#"{"access_token":"a","expires_in":1e400}"#.into())),
        ),
        (
            "token: expires_in -1",
            InvalidResponse,
            Box::new(|| token(200, r#"{"access_token":"a","expires_in":-1}"#.into())),
        ),
        (
            "token: expires_in NaN",
            InvalidResponse,
            Box::new(|| token(200, r#"{"access_token":"a","expires_in":"NaN"}"#.into())),
        ),
        (
            "token: refresh_token a number",
            InvalidResponse,
            Box::new(|| token(200, r#"{"access_token":"a","refresh_token":7}"#.into())),
        ),
        (
            "token: HTML 502",
            HttpError,
            Box::new(|| token(502, "<html>Bad Gateway</html>".into())),
        ),
        (
            "token: error with status 200",
            InvalidGrant,
            Box::new(|| token(200, r#"{"error":"invalid_grant"}"#.into())),
        ),
        (
            "token: lone surrogate escape",
            InvalidResponse,
            Box::new(|| token(200, r#"{"access_token":"\ud800"}"#.into())),
        ),
        // JWTs.
        (
            "jwt: bad base64",
            InvalidJwt,
            Box::new(|| jwt::decode("e!!.e30.sig").map(|_| ())),
        ),
        (
            "jwt: two segments",
            InvalidJwt,
            Box::new(|| jwt::decode("e30.e30").map(|_| ())),
        ),
        (
            "jwt: four segments",
            InvalidJwt,
            Box::new(|| jwt::decode("e30.e30.e30.e30").map(|_| ())),
        ),
        (
            "jwt: header not JSON",
            InvalidJwt,
            Box::new(|| jwt::decode("bm90IGpzb24.e30.sig").map(|_| ())),
        ),
        (
            "jwt: 1 MB",
            InputTooLarge,
            Box::new({
                let mb = mb.clone();
                move || jwt::decode(&mb()).map(|_| ())
            }),
        ),
        // PKCE, revocation, API calls.
        (
            "pkce: 42-character verifier",
            InvalidArgument,
            Box::new(|| pkce::challenge_s256(&"a".repeat(42)).map(|_| ())),
        ),
        (
            "pkce: '+' in the verifier",
            InvalidArgument,
            Box::new(|| pkce::challenge_s256(&format!("{}+", "a".repeat(43))).map(|_| ())),
        ),
        (
            "revoke: unknown hint",
            InvalidArgument,
            Box::new(|| {
                client("factorial", json!({"clientSecret": "s"}))
                    .revocation_request(&Secret::new("t"), Some("id_token"))
                    .map(|_| ())
            }),
        ),
        (
            "api: path to another host",
            InvalidArgument,
            Box::new(|| {
                client("billit", json!({}))
                    .api_request(&Secret::new("t"), "//evil.example.com/x")
                    .map(|_| ())
            }),
        ),
        (
            "api: path with a fragment",
            InvalidArgument,
            Box::new(|| {
                client("billit", json!({}))
                    .api_request(&Secret::new("t"), "/v1/orders#x")
                    .map(|_| ())
            }),
        ),
    ];
    cases.extend(issue_15_cases());
    cases
}

/// Issue 15's hostile inputs that the core refuses (see tests/findings.rs).
fn issue_15_cases() -> Vec<Case> {
    use ErrorCode::*;
    let mut cases: Vec<Case> = Vec::new();
    // Dot segments leave endpoints.api's path once fetch resolves them.
    for path in [
        "/../admin",
        "/%2e%2e/admin",
        "/.%2E/admin",
        "/%2E./admin",
        "/v1/./x",
        "/v1/%2e",
        "/v1/..?q",
    ] {
        cases.push((
            "api: dot segment",
            InvalidArgument,
            Box::new(move || {
                client("billit", json!({}))
                    .api_request(&Secret::new("t"), path)
                    .map(|_| ())
            }),
        ));
    }
    // Review 24: `..` between encoded separators, a dot segment to a server that decodes them.
    for path in ["/v1%2F..%2F..%2Fadmin", "/v1%5c..%5cadmin", "/v1/%2f"] {
        cases.push((
            "api: encoded separator",
            InvalidArgument,
            Box::new(move || {
                client("billit", json!({}))
                    .api_request(&Secret::new("t"), path)
                    .map(|_| ())
            }),
        ));
    }
    // Tokens that would split or break an Authorization header.
    for bad in ["t\r\nX-Evil: 1", "t\n", "t\u{0}", "t t", "t\u{7f}", "t=x"] {
        cases.push((
            "api: access token outside b64token",
            InvalidArgument,
            Box::new(move || {
                client("billit", json!({}))
                    .api_request(&Secret::new(bad), "/v1/orders")
                    .map(|_| ())
            }),
        ));
        cases.push((
            "token: access_token outside b64token",
            InvalidResponse,
            Box::new(move || token(200, json!({"access_token": bad}).to_string())),
        ));
    }
    cases.push((
        "token: CR/LF in refresh_token",
        InvalidResponse,
        Box::new(|| {
            token(
                200,
                r#"{"access_token":"a","refresh_token":"r\r\n"}"#.into(),
            )
        }),
    ));
    // Token answers that carried the new token into the excerpt.
    for body in [
        "access_token=new-token-marker-31&token_type=bearer",
        r#"{"Access_Token":"new-token-marker-31","Expires_In":"soon"}"#,
        r#"{"accessToken":"new-token-marker-31","error":null}"#,
    ] {
        cases.push((
            "token: 200 with the new token in an unread form",
            InvalidResponse,
            Box::new(move || token(200, body.into())),
        ));
    }
    // RFC 6749 errors are JSON: a form-encoded one is an HTTP error.
    for (body, code) in [
        (
            "error=invalid_grant&refresh_token=new-token-marker-31",
            HttpError,
        ),
        (
            r#"{"error":"invalid_grant","RefreshToken":"new-token-marker-31"}"#,
            InvalidGrant,
        ),
    ] {
        cases.push((
            "token: 400 echoing a new token",
            code,
            Box::new(move || token(400, body.into())),
        ));
    }
    cases.push((
        "pending: a sandbox flow finished in production",
        ProviderMismatch,
        Box::new(|| {
            let sandbox = client("billit", json!({"environment": "sandbox"}));
            let started = sandbox.start_authorization(&StartOptions::default(), NOW, &entropy())?;
            client("billit", json!({}))
                .parse_callback(
                    &format!("code=a&state={}", started.state),
                    started.pending.expose(),
                    NOW,
                )
                .map(|_| ())
        }),
    ));
    // Hosts the url crate (WHATWG) reads differently (fuzz target url_diff).
    for host in ["https://0x7f.1/t", "https://a.1/t", "https://xn--/t"] {
        cases.push((
            "config: host WHATWG reads as IPv4 or IDNA",
            InvalidConfig,
            Box::new(move || with(json!({"endpoints": {"token": host}}))),
        ));
    }
    // JWTs: RFC 7519/7515/8725.
    let jwt_of = |header: serde_json::Value, claims: serde_json::Value| {
        use partner_oauth::core::encoding::b64url;
        format!(
            "{}.{}.c2ln",
            b64url(header.to_string().as_bytes()),
            b64url(claims.to_string().as_bytes())
        )
    };
    let strict = || jwt::Expect {
        skew: 60,
        ..Default::default()
    };
    let no_exp = jwt_of(json!({"alg": "RS256"}), json!({"sub": "x"}));
    cases.push((
        "jwt: no exp",
        InvalidJwt,
        Box::new(move || jwt::check_claims(&jwt::decode(&no_exp)?.claims, &strict(), NOW)),
    ));
    let aud = jwt_of(
        json!({"alg": "RS256"}),
        json!({"exp": NOW + 60, "aud": "x"}),
    );
    cases.push((
        "jwt: aud with no audience configured",
        AudienceMismatch,
        Box::new(move || jwt::check_claims(&jwt::decode(&aud)?.claims, &strict(), NOW)),
    ));
    let crit = jwt_of(
        json!({"alg": "RS256", "crit": ["exp"]}),
        json!({"exp": NOW + 60}),
    );
    cases.push((
        "jwt: crit",
        InvalidJwt,
        Box::new(move || jwt::algorithm(&jwt::decode(&crit)?, &jwt::Alg::ALL).map(|_| ())),
    ));
    cases
}

#[test]
fn every_hostile_input_gets_its_typed_error() {
    let cases = cases();
    // The exact size: a case lost from the table (a loop over fewer inputs,
    // a block deleted in a merge) fails here. Adding a case: raise it.
    assert_eq!(cases.len(), CASES, "the table holds {} cases", cases.len());
    let mut wrong = Vec::new();
    for (name, want, run) in &cases {
        match run() {
            Err(e) if e.code() == *want => {}
            Err(e) => wrong.push(format!("{name}: expected {}, got {e}", want.as_str())),
            Ok(()) => wrong.push(format!("{name}: expected {}, got Ok", want.as_str())),
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} cases wrong:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

#[test]
fn provider_text_is_cut_and_cleaned() {
    let err = callback(|s| {
        format!(
            "error=server_error&error_description={}&state={s}",
            "é".repeat(5_000)
        )
    })
    .unwrap_err();
    let message = err.provider_message().unwrap();
    assert_eq!(message.chars().count(), 256);
    // A control character anywhere in a callback refuses it whole.
    let err = callback(|s| format!("error=server_error&error_description=a%0Aforged&state={s}"))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidCallback);
}

// The descriptor type is public: a caller can build one for their own stack.
#[test]
fn request_descriptors_are_plain_data() {
    let request = HttpRequest {
        method: "GET",
        url: "https://x.example".into(),
        headers: vec![],
        body: None,
        secrets: vec![],
        scopes: vec![],
    };
    assert_eq!(request.header("accept"), None);
}

/// Every secret the cases above hand the library, plus echoes of them.
const SECRETS: [&str; 5] = [
    KEY,
    "s3cr3t-value",
    "refresh-value",
    "echoed-code-marker-77",
    "new-token-marker-31",
];

fn forms(secret: &str) -> [String; 3] {
    use base64::Engine;
    [
        secret.to_owned(),
        url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(secret),
    ]
}

/// How many cases `cases()` holds.
const CASES: usize = 121;

#[test]
fn no_error_in_the_table_or_its_echoes_prints_a_secret() {
    let mut printed = Vec::new();
    let mut succeeded = Vec::new();
    // Every input below must fail: one that succeeds prints nothing, and so
    // would leave its secrets unchecked.
    let mut collect = |what: String, result: Result<(), Error>| match result {
        Err(e) => printed.push(format!(
            "{e}\n{e:?}\n{}\n{}",
            e.detail(),
            e.body_excerpt().unwrap_or_default()
        )),
        Ok(()) => succeeded.push(what),
    };
    for (name, _, run) in cases() {
        collect(name.into(), run());
    }
    // Servers that echo what they were sent, in every dialect.
    for body in [
        "refresh-value s3cr3t-value",
        r#"{"error":"invalid_grant","error_description":"refresh-value is unknown"}"#,
        r#"{"errors":[{"Code":"InvalidAccessToken","Message":"s3cr3t-value"}]}"#,
        "<html>czNjcjN0LXZhbHVl cmVmcmVzaC12YWx1ZQ refresh%2Dvalue</html>",
        // Issue 15: new tokens in form bodies and other spellings, and
        // echoes cut short by the server.
        "access_token=new-token-marker-31&refresh_token=new-token-marker-31",
        r#"{"Access_Token":"new-token-marker-31","Expires_In":"soon"}"#,
        r#"{"accessToken":"new-token-marker-31","error":null}"#,
        r#"{"error":"x","error_description":"id_token: new-token-marker-31"}"#,
        r#"{"error":"invalid_grant","error_description":"unknown refresh-val"}"#,
    ] {
        collect(format!("400 {body}"), token(400, body.into()));
        collect(format!("200 {body}"), token(200, body.into()));
    }
    collect(
        "a duplicated code".into(),
        callback(|s| format!("code=echoed-code-marker-77&code=x&state={s}")),
    );
    collect(
        "a wrong state".into(),
        callback(|_| "code=echoed-code-marker-77&state=wrong".into()),
    );
    collect(
        "the code in the fragment".into(),
        callback(|s| format!("{REDIRECT}#code=echoed-code-marker-77&state={s}")),
    );
    assert!(succeeded.is_empty(), "succeeded: {succeeded:?}");
    assert_eq!(printed.len(), CASES + 9 * 2 + 3);
    for text in &printed {
        for secret in SECRETS {
            for form in forms(secret) {
                assert!(!text.contains(&form), "{secret} leaked into: {text}");
            }
        }
    }
}
