//! base64url without padding (RFC 4648 §5), the alphabet of PKCE, JWTs and
//! our state: it never contains `&`, `=`, `+` or `%`; and standard base64
//! (§4) for HTTP Basic credentials and PEM keys.
//!
//! By hand rather than the `base64` crate: its generic engine cost ~5 KB of
//! wasm (a quarter of it in every build). The rules are the crate's, which
//! a property test compares byte for byte (tests/properties.rs): decoding
//! refuses symbols outside the alphabet, a lone symbol at the end, and
//! non-zero bits left over in the last symbol; padding is refused in
//! base64url and required (canonical) in standard base64.

#[cfg(not(feature = "server"))]
use crate::core::text::put_within;
use crate::core::text::{put, utf8};

const URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Encodes `bytes` as base64url without padding (RFC 4648 §5).
pub fn b64url(bytes: &[u8]) -> String {
    let mut out = bytes.to_vec();
    b64url_tail(&mut out, 0);
    // Every byte is an ASCII symbol of the alphabet.
    String::from_utf8(out).unwrap_or_default()
}

/// Decodes unpadded base64url (RFC 4648 §5); `None` for anything else,
/// padding included.
pub fn b64url_decode(text: &str) -> Option<Vec<u8>> {
    decode(text, true)
}

/// As [`b64url_decode`], into `out` (a stack array); `None` also when
/// `out` is shorter than the decoded bytes.
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
pub fn b64url_decode_into<'o>(text: &str, out: &'o mut [u8]) -> Option<&'o [u8]> {
    decode_into(text, true, out)
}

/// Standard base64 with padding (RFC 4648 §4), for HTTP Basic credentials.
pub fn b64(bytes: &[u8]) -> String {
    encode(bytes, STANDARD, true)
}

/// Standard base64 with its padding (PEM bodies). Not in the page build,
/// whose `entry` knows base64url's symbols only.
#[cfg(feature = "server")]
pub fn b64_decode(text: &str) -> Option<Vec<u8>> {
    decode(text, false)
}

/// Base64url-encodes `out[start..]` in place (the start's output buffer:
/// no second buffer for the state, pending value or flow id).
pub fn b64url_tail(out: &mut Vec<u8>, start: usize) {
    let n = out.len().saturating_sub(start);
    // Grown by a copy of its own last bytes, which the encoding overwrites
    // (no zeroing): a third of `n` at most, so never more than `n`.
    // encoded_len(n, false) - n, a symbol more per 3 bytes begun.
    let more = n.div_ceil(3);
    let end = out.len();
    // ok: more <= n <= end, so the range is in `out`.
    #[cfg(not(feature = "server"))]
    put_within(out, end - more, more);
    // A `Range` copy (a `RangeFrom` one was +111 B).
    #[cfg(feature = "server")]
    out.extend_from_within(end - more..end);
    encode_in_place(out.get_mut(start..).unwrap_or_default(), n, URL, false);
}

/// `n`'s 8 big-endian bytes onto `out` (a state's and a pending value's
/// creation time): out of line, as wasm has no byte swap and LLVM writes
/// one out in ~15 instructions at each use. One extend: in wasm each is a
/// `memory.copy`, a call out of the module in V8 (~10 ns).
#[inline(never)]
pub(crate) fn push_be_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut bytes = [0u8; 8];
    for byte in &mut bytes {
        n = n.rotate_left(8);
        *byte = n as u8; // ok: the next byte down
    }
    put(out, &bytes);
}

/// Base64url-encodes `bytes` onto the end of `out`.
pub fn push_b64url(out: &mut Vec<u8>, bytes: &[u8]) {
    let start = out.len();
    put(out, bytes);
    b64url_tail(out, start);
}

/// Base64url-encodes `buf[..n]` in place; returns its length, which `buf`
/// must hold (0 if it cannot).
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
pub fn b64url_in_place(buf: &mut [u8], n: usize) -> usize {
    encode_in_place(buf, n, URL, false)
}

/// The length of `n` bytes in base64, padded or not.
const fn encoded_len(n: usize, pad: bool) -> usize {
    match pad || n % 3 == 0 {
        true => n.div_ceil(3) * 4,
        false => n / 3 * 4 + n % 3 + 1,
    }
}

fn encode(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = bytes.to_vec();
    out.resize(encoded_len(bytes.len(), pad), 0);
    encode_in_place(&mut out, bytes.len(), alphabet, pad);
    // Every byte is an ASCII symbol of the alphabet or `=`. Checked and
    // copied: `String::from_utf8` would keep `str::from_utf8` in the page.
    utf8(&out).unwrap_or_default().to_owned()
}

/// The one encoder: `buf[..n]` becomes its base64 in `buf[..len]`, in
/// place, groups taken from the last: group `i` reads bytes `3i..3i + 3`
/// and writes `4i..4i + 4`, over its own input and later groups' (read
/// already), never an earlier group's (`4i >= 3(i - 1) + 3`). No move of
/// the input first (a `memory.copy`, which V8 calls out of the module for).
// Indexed groups with slice patterns: at opt-level "z" an iterator adapter
// per symbol was a call per symbol, and starting a flow took 0.6x the time.
// The full build's: the page's `encode_bits` is 181 B raw smaller, and its
// starts 0.9x as fast in the full build.
#[cfg(any(feature = "server", test))]
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
fn encode_groups(buf: &mut [u8], n: usize, alphabet: &[u8; 64], pad: bool) -> usize {
    let len = encoded_len(n, pad);
    let Some(buf) = buf.get_mut(..len) else {
        return 0;
    };
    let symbol = |n: u32| alphabet.get((n & 63) as usize).copied().unwrap_or(b'=');
    let groups = n / 3;
    // The last 1 or 2 bytes: 2 or 3 symbols, then `=` to the end if padded.
    // Read before the writes, which start past every full group's input.
    let (bits, kept) = match *buf.get(3 * groups..n).unwrap_or_default() {
        [a] => (u32::from(a) << 16, 1),
        [a, b] => (u32::from(a) << 16 | u32::from(b) << 8, 2),
        _ => (0, 0),
    };
    if kept > 0 {
        let tail = buf.get_mut(4 * groups..).unwrap_or_default();
        for (i, slot) in tail.iter_mut().enumerate() {
            *slot = match i <= kept {
                true => symbol(bits >> (18 - 6 * i)),
                false => b'=',
            };
        }
    }
    for i in (0..groups).rev() {
        let bits = match buf.get(3 * i..3 * i + 3) {
            Some(&[a, b, c]) => u32::from(a) << 16 | u32::from(b) << 8 | u32::from(c),
            _ => 0,
        };
        if let Some([w, x, y, z]) = buf.get_mut(4 * i..4 * i + 4) {
            (*w, *x, *y, *z) = (
                symbol(bits >> 18),
                symbol(bits >> 12),
                symbol(bits >> 6),
                symbol(bits),
            );
        }
    }
    len
}

#[cfg(not(feature = "server"))]
use encode_bits as encode_in_place;
#[cfg(feature = "server")]
use encode_groups as encode_in_place;

/// The page's encoder, as [`encode_groups`]: the input moved to the end of
/// the span, then read a byte at a time into a bit buffer that gives a
/// symbol per 6 bits. The writes stay behind the next byte read because
/// `from` is at least a third of `n`. A zero byte past the end flushes the
/// last bits; the symbols it adds past the last one fall outside `buf` or
/// under the padding. Inlined, so that the alphabet is a constant where
/// its last two symbols are read: the page keeps no 64-byte table, the
/// others computed (page wasm -30 B gzip).
#[cfg(any(not(feature = "server"), test))]
#[inline(always)]
fn encode_bits(buf: &mut [u8], n: usize, alphabet: &[u8; 64], pad: bool) -> usize {
    let [.., a, b] = *alphabet;
    encode_bits_with(buf, n, [a, b], pad)
}

/// [`encode_bits`], the symbols 62 and 63 being `last`'s: the others are
/// both alphabets' (`A-Z a-z 0-9`).
#[cfg(any(not(feature = "server"), test))]
fn encode_bits_with(buf: &mut [u8], n: usize, last: [u8; 2], pad: bool) -> usize {
    let [last62, last63] = last;
    let len = encoded_len(n, pad);
    let Some(buf) = buf.get_mut(..len) else {
        return 0;
    };
    let from = len - n;
    buf.copy_within(..n, from);
    let (mut bits, mut held, mut at) = (0u32, 0, 0);
    // `len + 1` (the flush), not `..=len`: an inclusive range keeps its own
    // end flag (len is a slice's, so the sum does not wrap).
    for i in from..len + 1 {
        bits = bits << 8 | u32::from(buf.get(i).copied().unwrap_or(0));
        held += 8;
        while held >= 6 {
            held -= 6;
            if let Some(slot) = buf.get_mut(at) {
                let i = (bits >> held) as u8 & 63;
                *slot = match i {
                    0..=25 => b'A' + i,
                    26..=51 => b'a' + (i - 26),
                    52..=61 => b'0' + (i - 52),
                    62 => last62,
                    _ => last63,
                };
            }
            at += 1;
        }
    }
    if pad {
        for slot in buf.get_mut(encoded_len(n, false)..).unwrap_or_default() {
            *slot = b'=';
        }
    }
    len
}

/// A symbol's entry in [`SYMBOLS`]: its 6 bits, and flags.
#[cfg(feature = "server")]
#[inline(always)]
fn entry(symbol: u8) -> u8 {
    SYMBOLS.get(usize::from(symbol)).copied().unwrap_or(NONE)
}

/// The page's `entry`, from the ranges: no 256-byte table (page wasm
/// -9 B gzip); the full build's callbacks keep the table's one load. The
/// page decodes base64url alone (no `b64_decode` there), so `+` and `/`
/// are no symbol of it (`NONE`, refused under either flag) and `-` and
/// `_` need no flag: two fewer cases (page -27 B gzip).
#[cfg(any(not(feature = "server"), test))]
#[cfg_attr(not(feature = "server"), inline(always))]
fn entry_by_ranges(symbol: u8) -> u8 {
    match symbol {
        b'A'..=b'Z' => symbol - b'A',
        b'a'..=b'z' => symbol - b'a' + 26,
        b'0'..=b'9' => symbol - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => NONE,
    }
}
#[cfg(not(feature = "server"))]
use entry_by_ranges as entry;

/// Whether `byte` is a base64url symbol (RFC 4648 §5: `A-Z a-z 0-9 - _`),
/// read from its entry (the PKCE verifier's alphabet is these, `.` and
/// `~`).
pub(crate) fn is_b64url_symbol(byte: u8) -> bool {
    entry(byte) & STANDARD_ONLY == 0
}

/// Each byte's 6 bits; `-` `_` flagged base64url only, `+` `/` standard
/// only. A table is smaller than the range compares inlined at each use
/// (−270 B gzip), and as fast: the full build's (the page's two uses
/// compute them, `entry_by_ranges`).
#[cfg(any(feature = "server", test))]
static SYMBOLS: [u8; 256] = symbols();
const NONE: u8 = 0xff;
const URL_ONLY: u8 = 0x40;
const STANDARD_ONLY: u8 = 0x80;

// Evaluated at compile time: an index out of bounds fails the build.
#[cfg(any(feature = "server", test))]
#[allow(clippy::indexing_slicing)]
const fn symbols() -> [u8; 256] {
    let mut table = [NONE; 256];
    let mut i = 0;
    while i < 62 {
        table[URL[i] as usize] = i as u8;
        i += 1;
    }
    table[b'-' as usize] = 62 | URL_ONLY;
    table[b'_' as usize] = 63 | URL_ONLY;
    table[b'+' as usize] = 62 | STANDARD_ONLY;
    table[b'/' as usize] = 63 | STANDARD_ONLY;
    table
}

fn decode(text: &str, url: bool) -> Option<Vec<u8>> {
    let mut out = vec![0; text.len() / 4 * 3 + 2];
    let len = decode_into(text, url, &mut out)?.len();
    out.truncate(len);
    Some(out)
}

/// The decoded bytes, at the start of `out`.
#[inline(always)]
fn decode_into<'o>(text: &str, url: bool, out: &'o mut [u8]) -> Option<&'o [u8]> {
    let len = decoded_len(text, url, out);
    out.get(..len)
}

/// How many bytes [`decode_into`] wrote; `usize::MAX` when refused (one
/// word back, not an `Option` of a slice through memory: page wasm −46 B
/// gzip, full +5).
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
fn decoded_len(text: &str, url: bool, out: &mut [u8]) -> usize {
    let bytes = text.as_bytes();
    // The other alphabet's two symbols, and bytes outside both (`NONE`,
    // `=` too), carry the refused flag: one test a group. Unpadded
    // base64url is therefore read whole, a `=` refused wherever it is; no
    // padding to strip and count first (page wasm -49 B gzip).
    let (symbols, refused) = if url {
        (bytes, STANDARD_ONLY)
    } else {
        let symbols = without_padding(bytes);
        // Whole groups of four, the last holding at least two symbols: at
        // most two `=`. (Unpadded, a lone last symbol is refused by the
        // loops' ends.)
        if bytes.len() % 4 != 0 || symbols.len() + 2 < bytes.len() {
            return usize::MAX;
        }
        (symbols, URL_ONLY)
    };
    match cfg!(feature = "server") {
        true => decode_groups(symbols, refused, out),
        false => decode_bits(symbols, refused, out),
    }
    .map_or(usize::MAX, <[u8]>::len)
}

/// [`decode_into`]'s loop in the full build: four symbols at a time
/// (inlined: its own function was 5 B more there).
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
#[inline(always)]
fn decode_groups<'o>(symbols: &[u8], refused: u8, out: &'o mut [u8]) -> Option<&'o [u8]> {
    // Written in place: an `extend` per group was a call per group.
    let len = symbols.len() / 4 * 3 + (symbols.len() % 4).saturating_sub(1);
    let out = out.get_mut(..len)?;
    let mut groups = symbols.chunks_exact(4);
    let mut dst = out.chunks_exact_mut(3);
    for (group, slot) in (&mut groups).zip(&mut dst) {
        if let ([a, b, c, d], [x, y, z]) = (group, slot) {
            let (a, b, c, d) = (entry(*a), entry(*b), entry(*c), entry(*d));
            if (a | b | c | d) & refused != 0 {
                return None;
            }
            let n = u32::from(a & 63) << 18
                | u32::from(b & 63) << 12
                | u32::from(c & 63) << 6
                | u32::from(d & 63);
            (*x, *y, *z) = ((n >> 16) as u8, (n >> 8) as u8, n as u8);
        }
    }
    // Bits past the last whole byte must be zero.
    match (groups.remainder(), dst.into_remainder()) {
        ([], []) => {}
        ([a, b], [x]) => {
            let (a, b) = (entry(*a), entry(*b));
            if (a | b) & refused != 0 || b & 0xf != 0 {
                return None;
            }
            *x = (a & 63) << 2 | (b & 63) >> 4;
        }
        ([a, b, c], [x, y]) => {
            let (a, b, c) = (entry(*a), entry(*b), entry(*c));
            if (a | b | c) & refused != 0 || c & 0x3 != 0 {
                return None;
            }
            (*x, *y) = ((a & 63) << 2 | (b & 63) >> 4, (b & 63) << 4 | (c & 63) >> 2);
        }
        _ => return None,
    }
    Some(out)
}

/// [`decode_into`]'s loop in the page build: a symbol at a time through
/// a bit accumulator (page wasm -167 B gzip; the full build keeps groups
/// of four for speed). The bits past the last whole byte must be zero; a
/// lone last symbol (6 bits left) is refused.
fn decode_bits<'o>(symbols: &[u8], refused: u8, out: &'o mut [u8]) -> Option<&'o [u8]> {
    let (mut bits, mut held, mut len) = (0u32, 0, 0);
    for &symbol in symbols {
        let entry = entry(symbol);
        if entry & refused != 0 {
            return None;
        }
        // Older bits shift out of the top: only the last 14 are read.
        bits = bits << 6 | u32::from(entry & 63);
        held += 6;
        if held >= 8 {
            held -= 8;
            *out.get_mut(len)? = (bits >> held) as u8;
            len += 1;
        }
    }
    let out: &'o [u8] = out;
    match held < 6 && bits & ((1 << held) - 1) == 0 {
        true => out.get(..len),
        false => None,
    }
}

/// `bytes` without its trailing `=`s.
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
fn without_padding(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().rposition(|b| *b != b'=').map_or(0, |i| i + 1);
    bytes.get(..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    // The page build's loop against the full build's groups of four: every
    // text of up to five symbols (both alphabets, `=`, a stray byte), each
    // into buffers from too short to long enough.
    #[test]
    fn decode_bits_is_decode_groups() {
        let alphabet = b"ABQgwz+/-_=!";
        let mut text = Vec::new();
        for len in 0..=5u32 {
            for mut n in 0..alphabet.len().pow(len) {
                text.clear();
                for _ in 0..len {
                    text.push(alphabet[n % alphabet.len()]);
                    n /= alphabet.len();
                }
                for refused in [STANDARD_ONLY, URL_ONLY] {
                    for room in 0..5 {
                        let (mut ours, mut theirs) = ([0; 4], [0; 4]);
                        assert_eq!(
                            decode_bits(&text, refused, &mut ours[..room]),
                            decode_groups(&text, refused, &mut theirs[..room]),
                            "{text:?} {refused} {room}"
                        );
                    }
                }
            }
        }
    }

    // RFC 4648 §10.
    #[test]
    fn rfc_4648_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in vectors {
            assert_eq!(b64(plain.as_bytes()), encoded);
            assert_eq!(b64_decode(encoded).unwrap(), plain.as_bytes());
            assert_eq!(b64url(plain.as_bytes()), encoded.trim_end_matches('='));
            assert_eq!(
                b64url_decode(encoded.trim_end_matches('=')).unwrap(),
                plain.as_bytes()
            );
        }
    }

    // The page's encoder and the full build's, byte for byte: every length
    // to 200 (each remainder, in place at the end of a longer buffer too),
    // both alphabets, padded or not, and a buffer too short.
    #[test]
    fn both_encoders_agree() {
        for n in 0..200usize {
            let input: Vec<u8> = (0..n).map(|i| (i * 151 + n * 7) as u8).collect();
            for (alphabet, pad) in [
                (URL, false),
                (STANDARD, true),
                (URL, true),
                (STANDARD, false),
            ] {
                for extra in [0, 1, 5] {
                    let mut a = input.clone();
                    a.resize(encoded_len(n, pad) + extra, 0xAA);
                    let mut b = a.clone();
                    let len = encode_groups(&mut a, n, alphabet, pad);
                    assert_eq!(encode_bits(&mut b, n, alphabet, pad), len);
                    assert_eq!(a, b, "{n} {pad}");
                }
                if n > 0 {
                    let mut short = input.clone();
                    assert_eq!(encode_bits(&mut short, n, alphabet, true), 0);
                    assert_eq!(short, input);
                }
            }
        }
    }

    // The page's entries, computed, are the table's as base64url reads
    // it (`STANDARD_ONLY` refused): every byte.
    #[test]
    fn entries_by_ranges_are_the_tables_for_base64url() {
        for byte in 0..=255u8 {
            let expected = match SYMBOLS[usize::from(byte)] {
                entry if entry & STANDARD_ONLY != 0 => NONE,
                entry => entry & 63,
            };
            assert_eq!(entry_by_ranges(byte), expected, "{byte}");
        }
    }

    // The verifier check's alphabet test, over every byte.
    #[test]
    fn base64url_symbols() {
        for byte in 0..=255u8 {
            let expected = byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_';
            assert_eq!(is_b64url_symbol(byte), expected, "{byte}");
        }
    }

    #[test]
    fn strict_decoding() {
        for bad in [
            "Zg==", "Z", "Zh", "Zm9", "Zm9v=", "Zm+v", "Zm/v", "Zm 9", "é",
        ] {
            assert_eq!(b64url_decode(bad), None, "{bad}");
        }
        for bad in [
            "Z", "Zh", "Zm9vY", "Z===", "Zg=a", "Zm9v=", "Zm9vY===", "Zm-v",
        ] {
            assert_eq!(b64_decode(bad), None, "{bad}");
        }
        for bad in ["Zg", "Zg=", "Zm8"] {
            assert_eq!(b64_decode(bad), None, "{bad}");
        }
        assert_eq!(b64url_decode("-_8").unwrap(), [0xfb, 0xff]);
    }
}
