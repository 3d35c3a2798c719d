//! Differential: `Client::start_authorization` (one byte buffer,
//! `Client::write_start`) against the start as it was, kept as the oracle
//! (`core::start_oracle`, feature `oracle`: `form_urlencoded` for the
//! query, the state, pending value and base64url built in `String`s and
//! `Vec`s), issue 26. Any scopes, payload, token kind and parameters, for
//! keyed presets and custom clients with overridden parameters and scope
//! separators: both start with equal bytes, or both refuse with the same
//! code and message. A disagreement is a bug in the new start.
#![no_main]
mod common;
use common::*;
use libfuzzer_sys::fuzz_target;
use partner_oauth::core::start_oracle;
use partner_oauth::{Client, Entropy, StartOptions};
use std::sync::OnceLock;

fn clients() -> &'static [Client] {
    static CLIENTS: OnceLock<Vec<Client>> = OnceLock::new();
    CLIENTS.get_or_init(|| {
        vec![
            client("billit", ""),
            client("payfit", ""),
            client("factorial", ""),
            client("tropipay", ""),
            client("payout", ""),
            client("custom", r#","preset":{"scopeSeparator":",","pkce":"unsupported","responseType":false,"authorizeParams":{"audience":"api","Prompt":"x y"}}"#),
            client("custom", r#","preset":{"scopeSeparator":"","authorizeParams":{}}"#),
            client("custom", r#","preset":{"grants":["client_credentials"]}"#),
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let clients = clients();
    let client = &clients[usize::from(selector) % clients.len()];
    // Lines: scopes (tab-separated), payload, token kind, then one
    // parameter per line (name, tab, value); a missing line is absent.
    let mut lines = text.split('\n');
    let scopes = match lines.next() {
        Some("") | None => Vec::new(),
        Some(line) => line.split('\t').map(str::to_owned).collect(),
    };
    let payload = lines.next().map(str::to_owned);
    let token_kind = lines.next().filter(|kind| !kind.is_empty()).map(str::to_owned);
    let params = lines
        .map(|line| match line.split_once('\t') {
            Some((name, value)) => (name.to_owned(), value.to_owned()),
            None => (line.to_owned(), String::new()),
        })
        .collect();
    let options = StartOptions { scopes, payload, token_kind, params };
    let now = if selector & 0x80 != 0 { u64::MAX - u64::from(selector) } else { NOW };
    let entropy = Entropy { verifier: [selector; 32], nonce: [selector ^ 0x5a; 16] };
    let ours = client.start_authorization(&options, now, &entropy);
    let oracle = start_oracle::start_authorization(client, &options, now, &entropy);
    match (&ours, &oracle) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.url, b.url);
            assert_eq!(a.state, b.state);
            assert_eq!(a.pending.expose(), b.pending.expose(), "pending values differ");
            assert_eq!(a.flow_id, b.flow_id);
            assert_eq!(a.flow_expires_at, b.flow_expires_at);
        }
        (Err(a), Err(b)) => {
            assert_eq!(a.code(), b.code());
            assert_eq!(a.detail(), b.detail());
        }
        _ => panic!("one started, one refused: ours {:?}, oracle {:?}", ours.as_ref().err(), oracle.as_ref().err()),
    }
});
