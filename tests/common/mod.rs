//! Fixed inputs shared by the native tests.
#![allow(dead_code)]

use partner_oauth::{
    Client, ClientOptions, Entropy, Error, ErrorCode, HttpResponse, Secret, Token,
};
use serde_json::{json, Value};

/// 2023-11-14T22:13:20Z.
pub const NOW: u64 = 1_700_000_000;
pub const REDIRECT: &str = "https://app.example.com/oauth/callback";
/// `REDIRECT`, form-urlencoded as it appears in a query string.
pub const REDIRECT_ENC: &str = "https%3A%2F%2Fapp.example.com%2Foauth%2Fcallback";
pub const KEY: &str = "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk";
pub const OTHER_KEY: &str = "a-different-key-of-32-bytes-long!";

/// RFC 7636 Appendix B's random octets, and a nonce of 0x00..0x0f.
pub fn entropy() -> Entropy {
    Entropy {
        verifier: [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212,
            37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ],
        nonce: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    }
}

/// RFC 7636 Appendix B: the challenge of the verifier made from `entropy()`.
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// The unsigned state for `entropy()` at `NOW` with no payload: bytes
/// 01 (version) 00 (no payload) 00000000 6553F100 (NOW) 000102…0f (nonce),
/// base64url-encoded by Python's base64 module.
pub const STATE: &str = "AQAAAAAAZVPxAAABAgMEBQYHCAkKCwwNDg8";

/// Options with `clientId` and `redirectUri` filled in, merged with `extra`.
pub fn options(provider: &str, extra: Value) -> Value {
    let mut base = json!({
        "provider": provider,
        "clientId": "client-123",
        "redirectUri": REDIRECT,
    });
    if let (Some(base), Some(extra)) = (base.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            base.insert(k.clone(), v.clone());
        }
    }
    base
}

pub fn try_client(options: Value) -> Result<Client, Error> {
    let options = ClientOptions::from_json(&options.to_string())?;
    Client::new(options)
}

pub fn client(provider: &str, extra: Value) -> Client {
    try_client(options(provider, extra)).expect("client")
}

pub fn code_of<T: std::fmt::Debug>(result: Result<T, Error>) -> ErrorCode {
    result.expect_err("expected an error").code()
}

/// A 200 token answer `body` as `provider`'s client reads it (Factorial's
/// as its default `user` kind). Any request will do: only its secrets and
/// scopes are read.
pub fn parse_token(provider: &str, body: &str) -> Result<Token, Error> {
    let client = client(
        provider,
        json!({"clientSecret": "SECRET-1", "endpoints": {"api": "https://api.example.com"}}),
    );
    let request = client.api_request(&Secret::new("ACCESS-1"), "/x").unwrap();
    let response = HttpResponse {
        status: 200,
        www_authenticate: None,
        body: body.to_owned(),
    };
    let kind = (provider == "factorial").then_some("user");
    client.parse_token_response(&request, &response, NOW, kind)
}
