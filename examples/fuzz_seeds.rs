//! Writes the fuzz corpora's seeds (fuzz/corpus/<target>/) from the same
//! inputs the tests use: `cargo run --example fuzz_seeds`.
use partner_oauth::{Client, ClientOptions, Entropy, StartOptions};
use std::fs;

const KEY: &str = "fuzz-state-key-of-at-least-32-bytes!!";

fn write(target: &str, name: &str, data: &str) {
    let dir = format!("fuzz/corpus/{target}");
    fs::create_dir_all(&dir).expect("corpus dir");
    fs::write(format!("{dir}/{name}"), data).expect("seed");
}

fn main() {
    let options = format!(
        r#"{{"provider":"payout","clientId":"fuzz-client","clientSecret":"s","redirectUri":"https://app.example.com/cb","stateKey":"{KEY}","endpoints":{{"authorize":"https://as.example.com/a","token":"https://as.example.com/t","api":"https://api.example.com"}}}}"#
    );
    let client = Client::new(ClientOptions::from_json(&options).expect("options")).expect("client");
    let entropy = Entropy {
        verifier: [1; 32],
        nonce: [2; 16],
    };
    let start = StartOptions {
        payload: Some("user=42&co=7".into()),
        ..Default::default()
    };
    let started = client
        .start_authorization(&start, 1_700_000_000, &entropy)
        .expect("start");

    write("state", "signed", &started.state);
    write("state", "unsigned", "AQAAAAAAZVPxAAABAgMEBQYHCAkKCwwNDg8");
    write("pending", "sealed", started.pending.expose());
    write(
        "callback",
        "success",
        &format!(
            "https://app.example.com/cb?code=abc&state={}",
            started.state
        ),
    );
    write(
        "callback",
        "denied",
        "https://app.example.com/cb?error=access_denied&error_description=no",
    );
    write(
        "callback",
        "fragment",
        &format!("https://app.example.com/cb#code=a&state={}", started.state),
    );
    write(
        "callback",
        "payout",
        "authorization_code=xyz&iss=https%3A%2F%2Fas.example.com",
    );
    write("options", "payout", &options);
    write(
        "options",
        "custom",
        r#"{"provider":"custom","clientId":"c","preset":{"pkce":"required","tokenBody":"json","grants":["refresh_token"]},"stateKey":["k","l"]}"#,
    );
    for (name, body) in [
        (
            "billit",
            r#"{"token_type":"Bearer","expires_in":3600,"access_token":"a","refresh_token":"r"}"#,
        ),
        ("payfit", r#"{"access_token":"a","token_type":"bearer"}"#),
        (
            "error",
            r#"{"error":"invalid_grant","error_description":"used"}"#,
        ),
        (
            "billit_api",
            r#"{"errors":[{"Code":"AccessTokenExpired"}]}"#,
        ),
        (
            "tropipay",
            r#"{"access_token":"eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.c2ln","expires_in":1741987517}"#,
        ),
    ] {
        write("json", name, body);
        write("token_response", name, &format!("\x00\x64\x00{body}"));
    }
    write(
        "token_response",
        "bearer_401",
        "\x01\x2d\x36Bearer error=\"invalid_token\", error_description=\"expired\"{}",
    );
    write(
        "jwt",
        "hs256",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIiwiZXhwIjoxNzAwMDAwMDAwfQ.c2lnbmF0dXJl",
    );
    write("url", "full", "https://user@API.example.com:8443/a/b?x=1#f");
    write("url", "v6", "http://[::1]:3000/cb?code=1");
    write(
        "json_diff",
        "numbers",
        r#"{"access_token":"a","n":[1.5e3,-0,2E-2]}"#,
    );
    write("url_diff", "full", "https://API.example.com:443/a/b?x=1#f");
    write("url_diff", "v6", "http://[::1]:3000/cb?code=1");
    write(
        "url_diff",
        "encodings",
        "https://0x7f.1/a/%2e%2E/b?q=<\"x\">#`f",
    );
    write(
        "api_path",
        "base_and_path",
        "https://shared.example/partner-api/v1\n/orders?x=1",
    );
    write(
        "api_path",
        "loopback",
        "http://127.0.0.1:8787/api\n/v1/a..b",
    );
}
