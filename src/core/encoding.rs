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

const URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Encodes `bytes` as base64url without padding (RFC 4648 §5).
pub fn b64url(bytes: &[u8]) -> String {
    encode(bytes, URL, false)
}

/// Decodes unpadded base64url (RFC 4648 §5); `None` for anything else,
/// padding included.
pub fn b64url_decode(text: &str) -> Option<Vec<u8>> {
    decode(text, true)
}

/// Standard base64 with padding (RFC 4648 §4), for HTTP Basic credentials.
pub fn b64(bytes: &[u8]) -> String {
    encode(bytes, STANDARD, true)
}

/// Standard base64 with its padding (PEM bodies).
pub fn b64_decode(text: &str) -> Option<Vec<u8>> {
    decode(text, false)
}

fn encode(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let mut group = [0u8; 3];
        for (slot, byte) in group.iter_mut().zip(chunk) {
            *slot = *byte;
        }
        let [a, b, c] = group;
        let n = u32::from(a) << 16 | u32::from(b) << 8 | u32::from(c);
        // A chunk of k bytes gives k + 1 symbols.
        for shift in [18, 12, 6, 0].into_iter().take(chunk.len() + 1) {
            let index = (n >> shift & 63) as usize;
            out.extend(alphabet.get(index));
        }
        if pad {
            out.extend(std::iter::repeat_n(b'=', 3 - chunk.len()));
        }
    }
    // Every byte pushed is an ASCII symbol of the alphabet or `=`.
    String::from_utf8(out).unwrap_or_default()
}

/// A symbol's 6 bits, or `None` outside the alphabet.
fn morsel(symbol: u8, url: bool) -> Option<u32> {
    let value = match symbol {
        b'A'..=b'Z' => symbol - b'A',
        b'a'..=b'z' => symbol - b'a' + 26,
        b'0'..=b'9' => symbol - b'0' + 52,
        b'-' if url => 62,
        b'_' if url => 63,
        b'+' if !url => 62,
        b'/' if !url => 63,
        _ => return None,
    };
    Some(u32::from(value))
}

fn decode(text: &str, url: bool) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if bytes.is_empty() {
        return Some(Vec::new());
    }
    let symbols = without_padding(bytes);
    let padded = symbols.len() < bytes.len();
    if (url && padded) || (!url && bytes.len() % 4 != 0) {
        return None;
    }
    // The last group of four (or the 1–3 symbols after the last full
    // group) must hold at least two symbols, padding after them only.
    let last_group = bytes.len() - ((bytes.len() - 1) % 4 + 1);
    if symbols.len() < last_group + 2 {
        return None;
    }
    let mut out = Vec::with_capacity(symbols.len() / 4 * 3 + 2);
    for chunk in symbols.chunks(4) {
        let mut n = 0u32;
        for symbol in chunk {
            n = n << 6 | morsel(*symbol, url)?;
        }
        let bits = chunk.len() * 6;
        let whole = bits / 8;
        // Bits past the last whole byte must be zero.
        if n & ((1 << (bits - whole * 8)) - 1) != 0 {
            return None;
        }
        let n = n >> (bits - whole * 8);
        out.extend((0..whole).rev().map(|i| (n >> (i * 8)) as u8));
    }
    Some(out)
}

/// `bytes` without its trailing `=`s.
fn without_padding(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().rposition(|b| *b != b'=').map_or(0, |i| i + 1);
    bytes.get(..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

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
