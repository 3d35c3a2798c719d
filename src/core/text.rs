//! Text without `core::fmt`: its machinery costs ~3.5 KB of wasm, and each
//! `format!` adds its own argument tables. Messages are joined with
//! `Joined::cat`, numbers written by `decimal`.

const DIGITS: &str = "0123456789";

/// `n` in decimal.
pub fn decimal(n: u64) -> String {
    // The leading digits first, at most 20 calls deep (u64::MAX).
    let mut out = match n {
        0..=9 => String::new(),
        _ => decimal(n / 10),
    };
    // Not `push(char)`, whose UTF-8 encoder nothing else in the page needs,
    // nor `str::get` (its char boundary tests): the digit's byte, checked.
    let digit = (n % 10) as usize; // ok: below 10
    let digit = DIGITS.as_bytes().get(digit..=digit).unwrap_or_default();
    put_str(&mut out, utf8(digit).unwrap_or_default());
    out
}

/// `out.extend_from_slice(bytes)`; the page build's is raw.rs' `put`,
/// its one growth path (alloc's is ~600 B of wasm more).
#[inline(always)]
pub(crate) fn put(out: &mut Vec<u8>, bytes: &[u8]) {
    #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
    crate::wasm::raw::put(out, bytes);
    #[cfg(not(all(target_arch = "wasm32", not(feature = "server"))))]
    out.extend_from_slice(bytes);
}

/// `out.extend_from_within(from..from + more)`, as [`put`] (page build:
/// the full build's own `extend_from_within` is smaller there).
#[cfg(not(feature = "server"))]
#[inline(always)]
pub(crate) fn put_within(out: &mut Vec<u8>, from: usize, more: usize) {
    #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
    crate::wasm::raw::put_within(out, from, more);
    #[cfg(not(all(target_arch = "wasm32", not(feature = "server"))))]
    out.extend_from_within(from..from.saturating_add(more));
}

/// `text.to_owned()`, as [`put`].
#[inline(always)]
pub(crate) fn owned(text: &str) -> String {
    #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
    return crate::wasm::raw::owned(text);
    #[cfg(not(all(target_arch = "wasm32", not(feature = "server"))))]
    text.to_owned()
}

/// `out.push_str(text)`, as [`put`].
#[inline(always)]
pub(crate) fn put_str(out: &mut String, text: &str) {
    #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
    crate::wasm::raw::put_str(out, text);
    #[cfg(not(all(target_arch = "wasm32", not(feature = "server"))))]
    out.push_str(text);
}

/// `a.eq_ignore_ascii_case(b)`; the page build's is one loop of its own
/// (core's is a `zip` it links for it alone).
#[inline(always)]
pub(crate) fn same_folded(a: &[u8], b: &[u8]) -> bool {
    #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
    return folded_eq(a, b);
    #[cfg(not(all(target_arch = "wasm32", not(feature = "server"))))]
    a.eq_ignore_ascii_case(b)
}

/// Equal once ASCII letters are lowercased: an indexed loop (a `zip` was
/// 6 B more, a bit test of the case bit 2 B more).
#[cfg_attr(any(feature = "server", not(target_arch = "wasm32")), allow(dead_code))]
#[inline(never)]
fn folded_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while let (Some(x), Some(y)) = (a.get(i), b.get(i)) {
        if !x.eq_ignore_ascii_case(y) {
            return false;
        }
        i += 1;
    }
    true
}

/// `bytes` as text when they are UTF-8. The page build checks with
/// `is_utf8` (a byte at a time, ~0.4 KB less page wasm than std's
/// `Utf8Chunks`); the full build keeps `str::from_utf8`'s word-at-a-time
/// ASCII loop for its speed.
pub fn utf8(bytes: &[u8]) -> Option<&str> {
    #[cfg(all(target_arch = "wasm32", not(feature = "server")))]
    return crate::wasm::raw::checked_utf8(bytes);
    #[cfg(not(all(target_arch = "wasm32", not(feature = "server"))))]
    std::str::from_utf8(bytes).ok()
}

/// Whether `bytes` are UTF-8 (RFC 3629): each sequence decoded, then its
/// code point checked to be in the shortest form, no surrogate and at most
/// U+10FFFF (a range of the next byte per lead byte was 34 B more wasm).
#[cfg_attr(feature = "server", allow(dead_code))]
pub(crate) fn is_utf8(bytes: &[u8]) -> bool {
    is_utf8_without(bytes, 0)
}

/// As [`is_utf8`], and without the code point `refused` (not ASCII: a
/// callback refuses U+FFFD, what a lenient decoder makes of bad bytes).
#[cfg_attr(feature = "server", allow(dead_code))]
pub(crate) fn is_utf8_without(bytes: &[u8], refused: u32) -> bool {
    let mut rest = bytes;
    while let [lead, after @ ..] = rest {
        rest = after;
        // How many continuation bytes follow, and the least code point
        // that needs them.
        let (more, least) = match *lead {
            0..=0x7F => continue,
            0xC0..=0xDF => (1, 0x80),
            0xE0..=0xEF => (2, 0x800),
            0xF0..=0xF7 => (3, 0x1_0000),
            _ => return false,
        };
        let Some((tail, after)) = rest.split_at_checked(more) else {
            return false;
        };
        rest = after;
        let mut point = u32::from(*lead) & (0x3F >> more);
        for &b in tail {
            if b & 0xC0 != 0x80 {
                return false;
            }
            point = point << 6 | u32::from(b & 0x3F);
        }
        if point < least || point > 0x10_FFFF || point >> 11 == 0x1B || point == refused {
            return false;
        }
    }
    true
}

/// Byte scans in place of `str::find`, `split_once` and `contains`: std's
/// char and substring searchers (memchr, Two-Way) cost ~2.5 KB of wasm, and
/// the patterns here are one ASCII byte or a few bytes. Splitting at an
/// ASCII byte always falls on a char boundary.
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
pub fn find_byte(text: &str, byte: u8) -> Option<usize> {
    scan(text.as_bytes(), byte, false)
}

/// The text before and after the first `byte` (ASCII).
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
pub fn split_at_byte(text: &str, byte: u8) -> Option<(&str, &str)> {
    split_at(text, scan(text.as_bytes(), byte, false)?)
}

/// The text before and after the last `byte` (ASCII).
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
pub fn rsplit_at_byte(text: &str, byte: u8) -> Option<(&str, &str)> {
    split_at(text, scan(text.as_bytes(), byte, true)?)
}

/// Where `byte` first (or, with `last`, last) occurs in `bytes`. One
/// forward loop for both: `position` and `rposition` were 0.5 KB of wasm
/// between them.
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
pub fn scan(bytes: &[u8], byte: u8, last: bool) -> Option<usize> {
    #[cfg(feature = "server")]
    let from = if last { 0 } else { words_without(bytes, byte) };
    #[cfg(not(feature = "server"))]
    let from = 0;
    let mut found = None;
    for (i, &b) in bytes.iter().enumerate().skip(from) {
        if b == byte {
            found = Some(i);
            if !last {
                break;
            }
        }
    }
    found
}

/// How many leading bytes, 8 at a time, hold no `byte`. A callback scans its
/// URL and pending value whole several times: byte by byte that was 15 % of
/// its time (the full build's callbacks are 1.15x faster; the page build,
/// which parses one callback a visit, keeps the 85 B gzip it costs).
#[cfg(feature = "server")]
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
fn words_without(bytes: &[u8], byte: u8) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    let mut from = 0;
    for word in bytes.chunks_exact(8) {
        let word =
            u64::from_le_bytes(word.try_into().unwrap_or_default()) ^ (ONES * u64::from(byte));
        // Non-zero exactly when some byte of `word` is 0 (a `byte` here).
        if word.wrapping_sub(ONES) & !word & (ONES << 7) != 0 {
            break;
        }
        from += 8;
    }
    from
}

/// The text after its first byte, if that is `byte` (ASCII): `str`'s
/// `strip_prefix` with a `char` encodes it first.
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
pub fn strip_byte(text: &str, byte: u8) -> Option<&str> {
    match text.as_bytes().first() {
        Some(&first) if first == byte => Some(split_at(text, 0)?.1),
        _ => None,
    }
}

#[cfg_attr(partner_oauth_nightly, optimize(speed))]
fn split_at(text: &str, at: usize) -> Option<(&str, &str)> {
    // Cut once, then past the byte: two `get`s were more code (page -11 B
    // gzip, full -14).
    let (before, after) = text.split_at_checked(at)?;
    Some((before, after.get(1..)?))
}

/// Where `needle` first occurs in `text` (a plain scan: needles are short).
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
pub fn find_str(text: &str, needle: &str) -> Option<usize> {
    find_bytes(text.as_bytes(), needle.as_bytes())
}

/// As [`find_str`], over bytes.
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
pub fn find_bytes(text: &[u8], needle: &[u8]) -> Option<usize> {
    let mut at = 0;
    loop {
        let rest = text.get(at..)?;
        // The first byte compared inline: `starts_with` is a call at
        // opt-level "z", made at every byte of every scope a start checks.
        if needle.first().is_none_or(|b| rest.first() == Some(b)) && rest.starts_with(needle) {
            return Some(at);
        }
        at += 1;
    }
}

/// `\uXXXX`, the JSON escape of a UTF-16 unit.
pub fn push_unicode_escape(out: &mut String, unit: u32) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        let digit = HEX.get(((unit >> shift) & 0xF) as usize).copied();
        out.push(char::from(digit.unwrap_or(b'0')));
    }
}

/// `join` and `concat` for text, in place of std's: those share one generic
/// routine of ~0.9 KB of wasm, and every message is built with them.
pub trait Joined {
    /// The parts with `separator` between them.
    fn joined(&self, separator: &str) -> String;
    /// The parts one after the other.
    fn cat(&self) -> String {
        self.joined("")
    }
}

impl<S: AsRef<str>> Joined for [S] {
    fn joined(&self, separator: &str) -> String {
        let mut out = String::new();
        for (i, part) in self.iter().enumerate() {
            if i > 0 {
                out.push_str(separator);
            }
            out.push_str(part.as_ref());
        }
        out
    }
}

/// Whether `bytes` hold a control character (`char::is_control`: U+0000
/// to U+001F and U+007F to U+009F), over UTF-8 bytes: the C0 controls and
/// DEL are single bytes no other character's encoding holds, the C1
/// controls are 0xC2 then 0x80 to 0x9F (no `chars()` decoding in the
/// module). Bytes not yet checked as UTF-8 (a callback's values): what a
/// lenient decoder makes of them holds a control exactly when they do, as
/// those survive any decoding of their neighbours as themselves. One scan
/// for the client id and the callback (two were compiled into the page).
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
#[cfg_attr(not(feature = "server"), inline(never))]
pub fn has_control(bytes: &[u8]) -> bool {
    let mut previous = 0u8;
    bytes.iter().any(|&b| {
        let c1 = previous == 0xC2 && (0x80..=0x9F).contains(&b);
        previous = b;
        b < 0x20 || b == 0x7F || c1
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // The page's compare is core's on every pair of bytes and lengths.
    #[test]
    fn folded_eq_is_eq_ignore_ascii_case() {
        for x in 0..=255u8 {
            for y in 0..=255u8 {
                let (a, b) = ([b'a', x, b'Z'], [b'A', y, b'z']);
                assert_eq!(folded_eq(&a, &b), a.eq_ignore_ascii_case(&b), "{x} {y}");
                assert!(!folded_eq(&a, &b[..2]));
            }
        }
        assert!(folded_eq(b"", b""));
        assert!(!folded_eq(b"", b"a"));
    }

    // Every code point, alone and between other characters (a lead byte
    // 0xC2 before and after it must not confuse the byte scan).
    #[test]
    fn has_control_is_char_is_control_over_every_code_point() {
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            let expected = c.is_control();
            for text in [
                c.to_string(),
                format!("a{c}b"),
                format!("\u{a0}{c}\u{a0}"),
                format!("\u{80}{c}"),
            ] {
                assert_eq!(
                    has_control(text.as_bytes()),
                    text.chars().any(char::is_control),
                    "{:?}",
                    text
                );
            }
            assert_eq!(has_control(c.to_string().as_bytes()), expected, "{c:?}");
        }
    }

    // Every sequence of one to three bytes, and four-byte ones (every
    // second byte after each lead from 0xF0), in and after text.
    #[test]
    fn is_utf8_is_from_utf8() {
        let mut texts: Vec<Vec<u8>> = Vec::new();
        for a in 0..=255u8 {
            texts.push(vec![a]);
            for b in 0..=255u8 {
                texts.push(vec![a, b]);
                for c in [
                    0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xff,
                ] {
                    texts.push(vec![a, b, c]);
                    texts.push(vec![b'x', a, b, c, b'y']);
                }
            }
        }
        for lead in 0xf0..=0xff {
            for b in 0..=255u8 {
                for c in [0x41, 0x80, 0xbf, 0xc0] {
                    for d in [0x41, 0x80, 0xbf, 0xc0] {
                        texts.push(vec![lead, b, c, d]);
                        texts.push(vec![b'a', lead, b, c, d, b'z']);
                    }
                }
            }
        }
        texts.push("é€😀 ascii".repeat(40).into_bytes());
        texts.push("a\u{FFFD}b".into());
        texts.push("\u{FFFC}\u{FFFE}".into());
        for text in &texts {
            let expected = std::str::from_utf8(text).ok();
            assert_eq!(is_utf8(text), expected.is_some(), "{text:?}");
            let clean = expected.is_some_and(|t| !t.contains('\u{FFFD}'));
            assert_eq!(is_utf8_without(text, 0xFFFD), clean, "{text:?}");
        }
    }

    #[test]
    fn decimal_matches_display() {
        for n in [0, 7, 10, 99, 100, 4_294_967_296, u64::MAX] {
            assert_eq!(decimal(n), n.to_string());
        }
    }

    #[test]
    fn byte_scans_match_std() {
        let texts = [
            "",
            "a",
            "://",
            "a://b://c",
            "x.y.z",
            "é.ü",
            "..",
            "ab",
            "a?b#c?d#",
            ".a",
            "?",
            "#x",
        ];
        for text in texts {
            for byte in [b'.', b':', b'?', b'#', b'a'] {
                let c = char::from(byte);
                assert_eq!(find_byte(text, byte), text.find(c));
                assert_eq!(split_at_byte(text, byte), text.split_once(c));
                assert_eq!(rsplit_at_byte(text, byte), text.rsplit_once(c));
                assert_eq!(strip_byte(text, byte), text.strip_prefix(c));
            }
            for needle in ["", "://", "a", "b#", "é", "zz", "..."] {
                assert_eq!(find_str(text, needle), text.find(needle), "{text} {needle}");
            }
        }
    }

    #[test]
    fn scans_match_position_at_every_offset() {
        // Each byte value at each place in texts of 0 to 40 bytes, others
        // around it that differ from it by one bit (the word trick's edge).
        for len in 0..40 {
            for at in 0..len {
                for byte in [0u8, 1, b'.', 0x7f, 0x80, 0xff] {
                    let mut bytes: Vec<u8> = (0..len).map(|i| byte ^ (1 << (i % 8))).collect();
                    assert_eq!(scan(&bytes, byte, false), None);
                    bytes[at] = byte;
                    if at + 3 < len {
                        bytes[at + 3] = byte;
                    }
                    let first = bytes.iter().position(|&b| b == byte);
                    let last = bytes.iter().rposition(|&b| b == byte);
                    assert_eq!(scan(&bytes, byte, false), first, "{bytes:?} {byte}");
                    assert_eq!(scan(&bytes, byte, true), last, "{bytes:?} {byte}");
                }
            }
        }
    }

    #[test]
    fn escapes_match_the_formatter() {
        for unit in [0, 0x1f, 0x2028, 0x2029] {
            let mut ours = String::new();
            push_unicode_escape(&mut ours, unit);
            assert_eq!(ours, format!("\\u{unit:04x}"));
        }
    }
}
