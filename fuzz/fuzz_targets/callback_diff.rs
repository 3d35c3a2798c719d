//! Differential: `Client::parse_callback` against today's implementation
//! kept as the oracle (`core::oracle`, feature `oracle`: `form_urlencoded`
//! for the query, std's searching in the URL reader), issue 26. Any callback
//! URL or query, against a real pending value or a mutated one, for a keyed
//! and an unkeyed client and one expecting an issuer: both accept with equal
//! fields, or both refuse with the same code, message and provider fields.
//! A quarter of inputs forge the flow instead (`forge`): a state and a
//! pending value made from the bytes, signed and sealed with the key when
//! the bytes ask, so they reach the state and pending decoders, which are
//! also compared straight with the oracle's own (`oracle::decoders`).
//! A disagreement is a bug in the new reader.
#![no_main]
mod common;
use common::*;
use libfuzzer_sys::fuzz_target;
use partner_oauth::core::encoding::b64url;
use partner_oauth::core::keys::{Purpose, StateKeys};
use partner_oauth::core::oracle::{self, decoders};
use partner_oauth::core::pending::Pending;
use partner_oauth::core::state;
use partner_oauth::{Client, ClientOptions, Entropy, Error, Secret, StartOptions, Started};
use std::sync::OnceLock;

struct Case {
    client: Client,
    started: Started,
    /// The started flow's pending value, opened: the fields a forged one keeps.
    genuine: Pending,
    keyed: bool,
}

fn keys() -> &'static StateKeys {
    static KEYS: OnceLock<StateKeys> = OnceLock::new();
    KEYS.get_or_init(|| StateKeys::new(vec![Secret::new(KEY)]).expect("keys"))
}

impl Case {
    fn keys(&self) -> Option<&'static StateKeys> {
        self.keyed.then(keys)
    }

    /// The flow's pending fields around `state`: created-at, then each field
    /// as a 2-byte length (0xFFFF: absent) and its bytes.
    fn fields(&self, state: &[u8]) -> Vec<u8> {
        let g = &self.genuine;
        let mut bytes = g.created_at.to_be_bytes().to_vec();
        for field in [
            Some(g.provider.as_bytes()),
            Some(g.client_id.as_bytes()),
            Some(g.environment.as_bytes()),
            Some(state),
            Some(g.redirect_uri.as_bytes()),
            g.verifier.as_ref().map(|v| v.expose().as_bytes()),
            g.token_kind.as_ref().map(|k| k.as_bytes()),
        ] {
            match field {
                Some(text) => {
                    bytes.extend_from_slice(&(text.len().min(0xfffe) as u16).to_be_bytes());
                    bytes.extend_from_slice(text);
                }
                None => bytes.extend_from_slice(&u16::MAX.to_be_bytes()),
            }
        }
        bytes
    }
}

/// A forged flow from `[flags, n, bytes…]`: the last `n` bytes go into
/// the pending value, the others make the state (so a byte inserted there
/// grows the state). Flag bits: 0 the bytes are the state's text, not its
/// body; 1 a body gets version 1 and a fresh created-at; 2 the state is
/// signed; 3 the pending value's body is its bytes alone, not the flow's
/// fields around the state; 5 its bytes are appended to those fields, or
/// are the body's text; 4 the pending value is sealed; 6 and 7 drop the
/// pending value's and the state's last character.
fn forge(case: &Case, data: &[u8]) -> Option<(String, String)> {
    let (&[flags, n], bytes) = data.split_first_chunk::<2>()?;
    let (state_part, pending_part) = bytes.split_at(bytes.len().saturating_sub(usize::from(n)));
    let bit = |n: u8| flags & (1 << n) != 0;
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let mut state = match bit(0) {
        true => text(state_part),
        false => {
            let mut body = state_part.to_vec();
            if let (true, Some(header)) = (bit(1), body.get_mut(..10)) {
                header[0] = 1;
                header[2..].copy_from_slice(&NOW.to_be_bytes());
            }
            b64url(&body)
        }
    };
    if bit(2) {
        state = format!("{state}.{}", b64url(&keys().sign(Purpose::State, state.as_bytes())));
    }
    if bit(7) {
        state.pop();
    }
    let body = match (bit(3), bit(5)) {
        (true, true) => text(pending_part),
        (true, false) => b64url(pending_part),
        (false, true) => b64url(&[&case.fields(state.as_bytes())[..], pending_part].concat()),
        (false, false) => b64url(&case.fields(state.as_bytes())),
    };
    let mut pending = format!("p2.{body}");
    if bit(4) {
        pending = format!("{pending}.{}", b64url(&keys().sign(Purpose::Pending, pending.as_bytes())));
    }
    if bit(6) {
        pending.pop();
    }
    Some((state, pending))
}

/// Every byte but unreserved ones percent-encoded: the callback carries the
/// forged state exactly.
fn query_value(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        let key = format!(r#","stateKey":"{KEY}""#);
        let issuer = format!(r#"{key},"preset":{{"issuer":"https://as.example.com"}}"#);
        [("payout", key.as_str()), ("payout", ""), ("custom", &issuer), ("tropipay", "")]
            .into_iter()
            .map(|(provider, extra)| {
                let keyed = !extra.is_empty();
                let text = format!(
                    r#"{{"provider":"{provider}","clientId":"fuzz-client","redirectUri":"https://app.example.com/cb",
                        "endpoints":{{"authorize":"https://as.example.com/a","token":"https://as.example.com/t"}}{extra}}}"#
                );
                let client = Client::new(ClientOptions::from_json(&text).expect("options")).expect("client");
                let entropy = Entropy { verifier: [1; 32], nonce: [2; 16] };
                let options = StartOptions { payload: Some("p=1&ü".into()), ..Default::default() };
                let started = client.start_authorization(&options, NOW, &entropy).expect("start");
                let genuine = client.open_pending(started.pending.expose()).expect("pending");
                Case { client, started, genuine, keyed }
            })
            .collect()
    })
}

fn same_error(a: &Error, b: &Error) -> bool {
    a.code() == b.code()
        && a.detail() == b.detail()
        && a.provider_code() == b.provider_code()
        && a.provider_message() == b.provider_message()
}

/// A pending value's fields, the verifier shown.
fn opened(p: &Pending) -> (u64, [Option<&str>; 7]) {
    let fields = [
        Some(p.provider.as_str()),
        Some(&p.client_id),
        Some(&p.environment),
        Some(&p.state),
        Some(&p.redirect_uri),
        p.verifier.as_ref().map(Secret::expose),
        p.token_kind.as_deref(),
    ];
    (p.created_at, fields)
}

/// The new state and pending decoders against the oracle's, straight.
fn compare_decoders(case: &Case, state: &str, pending: &str, now: u64) {
    let keys = case.keys();
    let ours = state::decode(state, keys, now, 600);
    let theirs = decoders::decode_state(state, keys, now, 600);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{state:?}"),
        (Err(a), Err(b)) => assert!(same_error(a, b), "{state:?}: ours {a:?}, oracle {b:?}"),
        _ => panic!("{state:?}: ours {ours:?}, oracle {theirs:?}"),
    }
    let (ours, theirs) = (Pending::open(pending, keys), decoders::open_pending(pending, keys));
    match (ours.as_ref().map(opened), theirs.as_ref().map(opened)) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{pending:?}"),
        (Err(a), Err(b)) => assert!(same_error(a, b), "{pending:?}: ours {a:?}, oracle {b:?}"),
        _ => panic!("{pending:?}: ours {ours:?}, oracle {theirs:?}"),
    }
}

fn compare(case: &Case, input: &str, pending: &str, now: u64) {
    let ours = case.client.parse_callback(input, pending, now);
    let theirs = oracle::parse_callback(&case.client, input, pending, now);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.code.expose(), b.code.expose(), "{input:?}");
            assert_eq!(
                (&a.state, &a.payload, a.payload_verified, &a.iss, &a.flow_id, a.flow_expires_at),
                (&b.state, &b.payload, b.payload_verified, &b.iss, &b.flow_id, b.flow_expires_at),
                "{input:?}"
            );
        }
        (Err(a), Err(b)) => assert!(same_error(a, b), "{input:?}: ours {a:?}, oracle {b:?}"),
        _ => panic!("{input:?}: ours {ours:?}, oracle {theirs:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let case = &cases()[usize::from(selector % 4)];
    let now = NOW + u64::from(selector % 8) * 200;
    // The last quarter of selectors forge the flow (the seeds of the first
    // three keep their meaning).
    if selector >= 0xC0 {
        let Some((state, pending)) = forge(case, rest) else { return };
        let query = format!("code=c&state={}&iss=https%3A%2F%2Fas.example.com", query_value(&state));
        compare(case, &format!("https://app.example.com/cb?{query}"), &pending, now);
        compare_decoders(case, &state, &pending, now);
        return;
    }
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let state = &case.started.state;
    let input = match (selector / 4) % 4 {
        0 => format!("https://app.example.com/cb?state={state}&{text}"),
        1 => format!("?{text}&state={state}&iss=https%3A%2F%2Fas.example.com"),
        2 => format!("https://app.example.com/cb?{text}"),
        _ => text.to_owned(),
    };
    // A sixteenth of inputs read the text as the pending value instead,
    // and as the state and pending value straight into the decoders.
    let pending = match selector / 16 {
        0 => {
            compare_decoders(case, text, text, now);
            text
        }
        _ => case.started.pending.expose(),
    };
    compare(case, &input, pending, now);
});
