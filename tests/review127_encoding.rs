//! Review 127: the full build's in-place base64url encoder (encode_groups,
//! groups from the last) against the base64 crate at every length 0..=4100,
//! every prefix 0..=7 and several byte patterns; padded standard base64 too;
//! in-place into spans with trailing bytes (left untouched) and too short.
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use partner_oauth::core::encoding::{b64, b64url, b64url_in_place, b64url_tail, push_b64url};

fn bytes(n: usize, pattern: u32) -> Vec<u8> {
    let mut s = 0x9E37_79B9u32 ^ pattern.wrapping_mul(7919) ^ n as u32;
    (0..n)
        .map(|i| match pattern {
            0 => 0,
            1 => 0xFF,
            2 => i as u8,
            3 => [0xFB, 0xEF, 0xBE][i % 3], // all `_`/`-`-heavy symbols
            _ => {
                s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (s >> 24) as u8
            }
        })
        .collect()
}

#[test]
fn review127_encoder_every_length_and_alignment() {
    let mut checked = 0u64;
    for n in 0..=4100usize {
        for pattern in 0..6u32 {
            let input = bytes(n, pattern);
            let expected = URL_SAFE_NO_PAD.encode(&input);
            assert_eq!(b64url(&input), expected, "b64url n={n}");
            assert_eq!(b64(&input), STANDARD.encode(&input), "b64 n={n}");
            for prefix_len in 0..=7usize {
                let prefix = bytes(prefix_len, 99);
                let want = [prefix.clone(), expected.clone().into_bytes()].concat();
                let mut out = prefix.clone();
                push_b64url(&mut out, &input);
                assert_eq!(out, want, "push n={n} p={prefix_len}");
                let mut out = [prefix.clone(), input.clone()].concat();
                b64url_tail(&mut out, prefix_len);
                assert_eq!(out, want, "tail n={n} p={prefix_len}");
                checked += 2;
            }
            for extra in [0usize, 1, 2, 3, 7] {
                let mut buf = input.clone();
                buf.resize(expected.len() + extra, 0xA5);
                let len = b64url_in_place(&mut buf, n);
                assert_eq!(len, expected.len());
                assert_eq!(
                    &buf[..len],
                    expected.as_bytes(),
                    "in place n={n} extra={extra}"
                );
                assert!(buf[len..].iter().all(|&b| b == 0xA5), "past the span n={n}");
                checked += 1;
            }
            if !expected.is_empty() {
                let mut short = input.clone();
                short.resize(expected.len() - 1, 0);
                let before = short.clone();
                assert_eq!(b64url_in_place(&mut short, n), 0, "short n={n}");
                assert_eq!(short, before, "short left as it was n={n}");
            }
        }
    }
    eprintln!("review127 encoder: {checked} encodings checked");
}
