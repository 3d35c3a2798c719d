//! Flows started by the release of 2026-12-03 (main at 6c6dda3) finish in
//! this build, and flows this build starts finish in that one: with fixed
//! time and entropy, starting a flow must give byte-for-byte the URL, state,
//! pending value and flow id frozen in `tests/frozen/flows.txt` from that
//! build, and parsing each frozen flow's callback the frozen result. Equal
//! bytes both ways is interoperability both ways (the formats are the
//! proof's only shared input). A `FREEZE=1` switch, since removed, wrote
//! the file once, before issue 26's start and callback core; never regenerate
//! it to make a change pass.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use partner_oauth::{Client, Entropy, StartOptions};
use serde_json::json;
use std::fmt::Write as _;

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/frozen/flows.txt");

fn cases() -> Vec<(&'static str, Client, StartOptions)> {
    let scopes = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let start = |s: &[&str], payload: Option<&str>, kind: Option<&str>, params: &[(&str, &str)]| {
        StartOptions {
            scopes: scopes(s),
            payload: payload.map(str::to_owned),
            token_kind: kind.map(str::to_owned),
            params: params
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
        }
    };
    let keyed = json!({ "stateKey": [KEY, OTHER_KEY] });
    let custom = json!({ "endpoints": { "authorize": "https://id.example.com/authorize?tenant=a%20b", "token": "https://id.example.com/token" } });
    let custom_keyed = json!({ "stateKey": KEY, "endpoints": { "authorize": "https://id.example.com/authorize" },
        "preset": { "issuer": "https://id.example.com", "scopeSeparator": ",", "pkce": "unsupported", "authorizeParams": { "audience": "api" } } });
    vec![
        (
            "billit",
            client("billit", json!({})),
            start(&[], None, None, &[]),
        ),
        (
            "billit keyed payload",
            client("billit", keyed.clone()),
            start(&[], Some("user=42&co=7"), None, &[]),
        ),
        (
            "billit sandbox",
            client("billit", json!({ "environment": "sandbox" })),
            start(&[], Some(""), None, &[("prompt", "login")]),
        ),
        (
            "payfit scopes",
            client("payfit", json!({})),
            start(&["employees:read", "companies:read"], None, None, &[]),
        ),
        (
            "payfit keyed unicode",
            client("payfit", keyed.clone()),
            start(
                &["a"],
                Some("ünïcødé ✓ 日本 %26+="),
                None,
                &[("login_hint", "a b&c=d/é")],
            ),
        ),
        (
            "factorial company",
            client("factorial", json!({})),
            start(&[], None, None, &[]),
        ),
        (
            "factorial user keyed",
            client("factorial", keyed.clone()),
            start(&["read"], Some("x"), Some("user"), &[]),
        ),
        (
            "tropipay",
            client("tropipay", json!({})),
            start(&["ALLOW_GET_PROFILE_DATA"], None, None, &[]),
        ),
        (
            "tropipay keyed",
            client("tropipay", keyed.clone()),
            start(&[], Some("{\"a\":1}"), None, &[]),
        ),
        (
            "payout",
            client("payout", json!({})),
            start(&[], None, None, &[]),
        ),
        (
            "payout sandbox-id keyed",
            client(
                "payout",
                json!({ "environment": "sandbox-id", "stateKey": KEY }),
            ),
            start(&["x", "y"], Some("p"), None, &[]),
        ),
        (
            "custom",
            client("custom", custom),
            start(
                &["openid", "profile"],
                Some(&"z".repeat(300)),
                None,
                &[("ui_locales", "fr")],
            ),
        ),
        (
            "custom keyed issuer",
            client("custom", custom_keyed),
            start(&["a", "b:c"], None, None, &[]),
        ),
    ]
}

/// Each case's start and callback, one `case | field | value` line each.
fn run() -> String {
    let mut out = String::new();
    for (i, (name, client, options)) in cases().into_iter().enumerate() {
        let mut entropy: Entropy = entropy();
        entropy.nonce[0] = i as u8;
        entropy.verifier[0] = i as u8;
        let now = NOW + i as u64 * 1000;
        let started = client
            .start_authorization(&options, now, &entropy)
            .expect(name);
        let mut line =
            |field: &str, value: &str| writeln!(out, "{name} | {field} | {value}").unwrap();
        line("url", &started.url);
        line("state", &started.state);
        line("pending", started.pending.expose());
        line("flowId", &started.flow_id);
        line("flowExpiresAt", &started.flow_expires_at.to_string());
        let iss = match client.issuer() {
            Some(iss) => format!("&iss={}", url_encode(iss)),
            None => String::new(),
        };
        let url = format!("{REDIRECT}?code=c-{i}%20x&state={}{iss}", started.state);
        let callback = client
            .parse_callback(&url, started.pending.expose(), now + 30)
            .expect(name);
        line("code", callback.code.expose());
        line("payload", &format!("{:?}", callback.payload));
        line("payloadVerified", &callback.payload_verified.to_string());
        line("iss", &format!("{:?}", callback.iss));
        line("callback flowId", &callback.flow_id);
        line(
            "callback flowExpiresAt",
            &callback.flow_expires_at.to_string(),
        );
    }
    out
}

fn url_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[test]
fn flows_match_the_release_of_2026_12_03() {
    let now = run();
    let frozen = std::fs::read_to_string(FILE).unwrap();
    for (line, (got, want)) in now.lines().zip(frozen.lines()).enumerate() {
        assert_eq!(got, since_release(want), "line {}", line + 1);
    }
    assert_eq!(now.lines().count(), frozen.lines().count());
}

/// A frozen line as this build writes it. One change since that release, in
/// no format: a flow's `flowExpiresAt` is the first second its callback is
/// refused, one later than that release said (review 66, SECURITY.md).
fn since_release(line: &str) -> String {
    match line.rsplit_once(" | ") {
        Some((head, seconds)) if head.ends_with("flowExpiresAt") => {
            format!("{head} | {}", seconds.parse::<u64>().unwrap() + 1)
        }
        _ => line.to_owned(),
    }
}

/// The other direction, as a callback from the old release reads them: each
/// frozen pending value opens in this build and its callback parses.
#[test]
fn frozen_pending_values_open_in_this_build() {
    let frozen = std::fs::read_to_string(FILE).unwrap();
    let field = |case: &str, name: &str| {
        frozen
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{case} | {name} | ")))
            .unwrap()
            .to_owned()
    };
    for (i, (name, client, _)) in cases().into_iter().enumerate() {
        let now = NOW + i as u64 * 1000;
        let pending = field(name, "pending");
        let state = field(name, "state");
        let iss = client
            .issuer()
            .map(|iss| format!("&iss={}", url_encode(iss)))
            .unwrap_or_default();
        let url = format!("?state={state}&code=k{iss}");
        let callback = client
            .parse_callback(&url, &pending, now + 599)
            .expect(name);
        assert_eq!(callback.code.expose(), "k");
        assert_eq!(callback.state, state);
        assert_eq!(callback.flow_id, field(name, "flowId"));
        let opened = client.open_pending(&pending).expect(name);
        assert_eq!(opened.state, state);
        assert_eq!(opened.created_at, now);
    }
}
