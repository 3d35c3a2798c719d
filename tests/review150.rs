//! Review 150 (outside reviewer on 359f4dd): `Client::check_callback` with a
//! byte buffer shorter than `callback_buffers` asks for. Its guard
//! (`place()`, `callback_no_room`) refuses a part that does not fit, but the
//! flow id is placed as its 16 raw bytes and then base64url'd in place to
//! 22: with 16 to 21 bytes of room left, `b64url_in_place` writes nothing and
//! answers 0, and the callback was accepted with its flow id dropped (an
//! empty `flow_id` after `CallbackParts::split`). Older (bc3e1b5's loop did
//! the same); no shipped caller sizes the buffer other than by
//! `callback_buffers` (client.rs, raw.rs), so it was not reachable from the
//! packages. Every shorter buffer must be refused or answer exactly the
//! full buffer's answer.
#![cfg(not(target_arch = "wasm32"))]
mod common;
use common::*;
use partner_oauth::core::callback::{callback_buffers, CallbackParts};
use partner_oauth::StartOptions;
use serde_json::json;

#[test]
fn review150_a_short_buffer_never_drops_a_part() {
    let (mut checked, mut wrong) = (0, Vec::new());
    for (key, issuer) in [
        (Some(KEY), Some("https://as.example")),
        (None, None),
        (Some(KEY), None),
    ] {
        let mut extra = json!({});
        if let Some(k) = key {
            extra["stateKey"] = json!(k);
        }
        if let Some(i) = issuer {
            extra["preset"] = json!({ "issuer": i });
        }
        let client = client("billit", extra);
        for payload in [None, Some("p".to_owned()), Some("é".repeat(600))] {
            let start = StartOptions {
                payload,
                ..Default::default()
            };
            let s = client.start_authorization(&start, NOW, &entropy()).unwrap();
            let pending = s.pending.expose().to_owned();
            for code in ["c", "%C3%A9%C3%A9abc", &"x".repeat(300)] {
                let url = format!(
                    "{REDIRECT}?code={code}&state={}&iss=https%3A%2F%2Fas.example",
                    s.state
                );
                let (len, names) = callback_buffers(&url, &pending);
                // The answer and its parts with an output buffer of `room` bytes.
                let check = |room: usize| {
                    let mut parts = CallbackParts::default();
                    let answer = client
                        .check_callback(
                            &url,
                            &pending,
                            NOW + 5,
                            &mut vec![0; room],
                            &mut vec![0; names],
                            &mut parts,
                        )
                        .map(<[u8]>::to_vec);
                    (answer, format!("{parts:?}"))
                };
                let (want, want_parts) = check(len);
                let want = want.unwrap();
                // The last 800 lengths (the output region's end) and every 13th below.
                for short in (0..len).filter(|&short| short + 800 >= len || short % 13 == 0) {
                    let (got, p) = check(short);
                    if let Ok(got) = got {
                        if got != want || p != want_parts {
                            wrong.push((short, len, got.len(), want.len()));
                        }
                    }
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 34_354);
    assert_eq!(
        wrong.len(),
        0,
        "{} answers differ, first (buffer, full, got B, want B) {:?}",
        wrong.len(),
        wrong.first()
    );
}
