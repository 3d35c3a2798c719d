//! The URLs this library reads: absolute `http`/`https` URLs in ASCII. A
//! strict subset of RFC 3986 and WHATWG parsing, with no IDNA and no
//! normalisation: anything outside the subset is refused, never guessed at.
//! (The `url` crate cost ~35 KB of the shipped module for generality we
//! refuse anyway.)
//!
//! Where a URL is sent users or secrets: `https`, or `http` on a loopback
//! host (local development and the sandbox). No fragment, no
//! `user:password@`, nothing else (`javascript:`, `data:`, custom schemes).

use crate::core::error::{ErrorCode, Result};
use crate::core::messages::Message;
use crate::core::text::{find_byte, put, rsplit_at_byte, same_folded, split_at_byte};
use std::net::{Ipv4Addr, Ipv6Addr};

/// A URL's host (RFC 3986 §3.2.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Host<'a> {
    /// A registered name in ASCII, case kept: letters, digits, `-`, `.`, `_`;
    /// no `xn--` label.
    Domain(&'a str),
    /// A dotted-quad IPv4 address.
    V4(Ipv4Addr),
    /// An IPv6 address, written in brackets.
    V6(Ipv6Addr),
}

/// An absolute `http`/`https` URL split into its RFC 3986 §3 parts, each
/// borrowed from the text as written (no percent-decoding).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpUrl<'a> {
    /// `https` rather than `http`.
    pub https: bool,
    /// Whether a `user:password@` part was present; its content is dropped.
    pub has_userinfo: bool,
    /// The host.
    pub host: Host<'a>,
    /// The explicit port, if any.
    pub port: Option<u16>,
    /// Empty, or starting with `/`.
    pub path: &'a str,
    /// After `?`, up to `#`; `Some("")` for a bare `?`.
    pub query: Option<&'a str>,
    /// After `#`.
    pub fragment: Option<&'a str>,
}

impl HttpUrl<'_> {
    /// Scheme, host (case-folded) and port: two URLs with equal origins.
    pub fn same_origin(&self, other: &HttpUrl) -> bool {
        let host_eq = match (&self.host, &other.host) {
            (Host::Domain(a), Host::Domain(b)) => same_folded(a.as_bytes(), b.as_bytes()),
            (a, b) => a == b,
        };
        self.https == other.https && host_eq && self.effective_port() == other.effective_port()
    }

    fn effective_port(&self) -> u16 {
        self.port.unwrap_or(if self.https { 443 } else { 80 })
    }

    /// Whether the host is `localhost` or a loopback IP (127.0.0.0/8, `::1`).
    pub fn is_loopback(&self) -> bool {
        match self.host {
            Host::Domain(name) => same_folded(name.as_bytes(), b"localhost"),
            Host::V4(ip) => ip.is_loopback(),
            Host::V6(ip) => ip.is_loopback(),
        }
    }
}

/// Reads an absolute http(s) URL; `None` for anything else.
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
pub fn parse(text: &str) -> Option<HttpUrl<'_>> {
    // Printable ASCII only, and no backslash (WHATWG reads it as `/`).
    if !text.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') {
        return None;
    }
    // `http` or `https`, then `://` (the first, as `http` holds no `:`).
    let https = matches!(text.as_bytes().get(4), Some(b's' | b'S'));
    let scheme: &[u8] = if https { b"https://" } else { b"http://" };
    let (head, rest) = text.split_at_checked(scheme.len())?;
    if !same_folded(head.as_bytes(), scheme) {
        return None;
    }
    let (rest, fragment) = match split_at_byte(rest, b'#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (rest, None),
    };
    let (rest, query) = match split_at_byte(rest, b'?') {
        Some((rest, query)) => (rest, Some(query)),
        None => (rest, None),
    };
    // The path keeps its `/`: cut again where the shared split found it (an
    // inlined `find_byte` loop and `split_at` were page wasm +24 B gzip).
    let (authority, path) = match split_at_byte(rest, b'/') {
        Some((authority, _)) => rest.split_at_checked(authority.len())?,
        None => (rest, ""),
    };
    let (has_userinfo, host_port) = match rsplit_at_byte(authority, b'@') {
        Some((_, host_port)) => (true, host_port),
        None => (false, authority),
    };
    let (host, port) = host_and_port(host_port)?;
    Some(HttpUrl {
        https,
        has_userinfo,
        host,
        port,
        path,
        query,
        fragment,
    })
}

fn host_and_port(text: &str) -> Option<(Host<'_>, Option<u16>)> {
    // The port after the last `:`, unless the text ends in `]` (an IPv6
    // address's own `:`s): one split for both kinds of host. A `]` or `[`
    // anywhere else is refused below, by the port's digits or the name's
    // bytes, as a split at the first `]` refused it.
    let (name, port) = match rsplit_at_byte(text, b':') {
        Some((name, port)) if text.as_bytes().last() != Some(&b']') => (name, Some(port)),
        _ => (text, None),
    };
    let host = if let [b'[', ip @ .., b']'] = name.as_bytes() {
        Host::V6(ip::ipv6(ip).map(Ipv6Addr::from)?)
    } else {
        let name_bytes = name.as_bytes();
        if name_bytes.is_empty() {
            return None;
        }
        let mut label_start = true;
        for (i, &c) in name_bytes.iter().enumerate() {
            // An `xn--` label is punycode: WHATWG decodes and validates it
            // (IDNA), which this reader does not do.
            // (`| 0x20` folds the case of `X` and `N` only.)
            let punycode = label_start
                && name_bytes
                    .get(i..i + 4)
                    .and_then(|p| p.try_into().ok())
                    .is_some_and(|p| {
                        u32::from_le_bytes(p) | 0x2020 == u32::from_le_bytes(*b"xn--")
                    });
            if punycode || !(c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_')) {
                return None;
            }
            label_start = c == b'.';
        }
        // WHATWG reads a host whose last label is a number as IPv4 (so
        // `0x7f.1` is 127.0.0.1 to fetch): we take only a dotted quad.
        if ends_in_a_number(name) {
            Host::V4(ipv4(name)?)
        } else {
            Host::Domain(name)
        }
    };
    let port = match port {
        None => None,
        Some(p) => Some(ip::whole(p.as_bytes(), ip::port)? as u16), // ok: at most 0xFFFF
    };
    Some((host, port))
}

/// A dotted-quad IPv4 address, as `Ipv4Addr::from_str` reads it.
fn ipv4(text: &str) -> Option<Ipv4Addr> {
    ip::whole(text.as_bytes(), ip::ipv4).map(Ipv4Addr::from)
}

/// An IPv6 address, as `Ipv6Addr::from_str` reads it.
#[cfg(test)]
fn ipv6(text: &str) -> Option<Ipv6Addr> {
    ip::ipv6(text.as_bytes()).map(Ipv6Addr::from)
}

/// IP addresses read by hand, accepting what std's `core::net::parser`
/// accepts (tests compare them on every short string of their alphabet
/// and on built addresses): std's generic parser cost ~1.2 KB of wasm.
/// The readers that take `at` move it past what they read (on `None`,
/// anywhere).
mod ip {
    /// `read` over all of `bytes`.
    pub fn whole<T>(bytes: &[u8], read: fn(&[u8], &mut usize) -> Option<T>) -> Option<T> {
        let mut at = 0;
        let value = read(bytes, &mut at)?;
        (at == bytes.len()).then_some(value)
    }

    /// Up to 4 hex or 5 decimal digits, at most `max`; a leading zero
    /// only alone unless `zero_prefix`. (Without it, an octet's at most
    /// 255 leaves 3 digits: no third count.)
    #[inline(always)]
    pub fn number(
        bytes: &[u8],
        at: &mut usize,
        hex: bool,
        zero_prefix: bool,
        max: u32,
    ) -> Option<u32> {
        let value = read_number(bytes, at, hex, zero_prefix, max);
        (value != NONE).then_some(value)
    }

    /// `number`'s answer in a register: `NONE` for none (every `max` is
    /// below it). An `Option<u32>` went back through memory.
    const NONE: u32 = u32::MAX;

    fn read_number(bytes: &[u8], at: &mut usize, hex: bool, zero_prefix: bool, max: u32) -> u32 {
        let start = *at;
        let (radix, max_digits) = if hex { (16, 4) } else { (10, 5) };
        let mut value = 0u32;
        let mut digits = 0;
        while let Some(d) = bytes.get(start + digits).and_then(|&b| digit(b, hex)) {
            // A digit after a leading zero (`value` is 0 after one digit
            // only if that digit was `0`).
            let after_zero = digits == 1 && value == 0;
            value = value * radix + d;
            digits += 1;
            if digits > max_digits || value > max || (after_zero && !zero_prefix) {
                return NONE;
            }
        }
        if digits == 0 {
            return NONE;
        }
        *at = start + digits;
        value
    }

    /// A decimal digit's value, or with `hex` a hex digit's too.
    pub fn digit(b: u8, hex: bool) -> Option<u32> {
        // `| 0x20` folds `A`..`F` onto `a`..`f` (and nothing else onto them).
        match (b, b | 0x20) {
            (b'0'..=b'9', _) => Some(u32::from(b - b'0')),
            (_, l @ b'a'..=b'f') if hex => Some(u32::from(l - b'a' + 10)),
            _ => None,
        }
    }

    /// A port: up to 5 decimal digits, at most 65535 (as `u16::from_str`
    /// reads them once they are known to be digits).
    pub fn port(bytes: &[u8], at: &mut usize) -> Option<u32> {
        number(bytes, at, false, true, 0xFFFF)
    }

    fn given(bytes: &[u8], at: &mut usize, byte: u8) -> Option<()> {
        (bytes.get(*at) == Some(&byte)).then(|| *at += 1)
    }

    pub fn ipv4(bytes: &[u8], at: &mut usize) -> Option<[u8; 4]> {
        let mut octets = [0u8; 4];
        for (i, slot) in octets.iter_mut().enumerate() {
            if i > 0 {
                given(bytes, at, b'.')?;
            }
            *slot = number(bytes, at, false, false, 255)? as u8; // ok: at most 255
        }
        Some(octets)
    }

    /// A whole IPv6 address, as `Ipv6Addr::from_str` reads one: eight hex
    /// groups, or fewer around one `::` that stands for at least one group
    /// of zeros; an IPv4 address may be the last two groups. One pass,
    /// big-endian into 16 bytes (std's `read_groups` twice and a copy were
    /// ~0.6 KB); a group past the 16 bytes is refused, as std refuses it.
    pub fn ipv6(bytes: &[u8]) -> Option<[u8; 16]> {
        // Two spare bytes: every part is written as 4 (a fixed-length copy).
        let mut out = [0u8; 18];
        let mut at = 0;
        // Bytes written, and how many stood before `::` (none read: MAX).
        let mut size = 0;
        let mut gap = usize::MAX;
        if bytes.starts_with(b"::") {
            gap = 0;
            at = 2;
        }
        // A group (or the IPv4 part) after the start, `:` or `::`; only
        // `::` alone reads none.
        if gap != 0 || at < bytes.len() {
            loop {
                // The IPv4 part (4 bytes, only last: the text must end
                // there) or a group (2), big-endian at the top of `part`.
                let start = at;
                let (part, len) = match ipv4(bytes, &mut at) {
                    Some(octets) => (u32::from_be_bytes(octets), 4),
                    None => {
                        at = start;
                        (number(bytes, &mut at, true, true, 0xFFFF)? << 16, 2)
                    }
                };
                *out.get_mut(size..)?.first_chunk_mut()? = part.to_be_bytes();
                size += len;
                if len == 4 {
                    break;
                }
                if at == bytes.len() {
                    break;
                }
                given(bytes, &mut at, b':')?;
                if gap == usize::MAX && given(bytes, &mut at, b':').is_some() {
                    gap = size;
                    if at == bytes.len() {
                        break;
                    }
                }
            }
        }
        // All 16 bytes, or fewer and a `::`.
        if at != bytes.len() || size > 16 || (gap == usize::MAX) != (size == 16) {
            return None;
        }
        // The bytes after `::` moved to the end, zeros in their place.
        let mut i = size;
        while i > gap {
            i -= 1;
            let byte = std::mem::take(out.get_mut(i)?);
            *out.get_mut(i + 16 - size)? = byte;
        }
        out.first_chunk().copied()
    }
}

/// WHATWG's "ends in a number": the last label (a trailing dot ignored) is
/// decimal digits, or `0x` and hex digits.
fn ends_in_a_number(host: &str) -> bool {
    let host = host.strip_suffix(".").unwrap_or(host);
    // The reader's own `rsplit_at_byte`, not a second copy of its loop
    // inlined (page wasm -27 B gzip).
    let last = rsplit_at_byte(host, b'.')
        .map_or(host, |(_, last)| last)
        .as_bytes();
    let (digits, hex) = match last {
        [b'0', b'x' | b'X', digits @ ..] => (digits, true),
        _ => (last, false),
    };
    (hex || !digits.is_empty()) && digits.iter().all(|&c| ip::digit(c, hex).is_some())
}

/// `.` or `..` as WHATWG URL parsing sees a path segment: `%2e` in either
/// case counts as a dot.
pub fn is_dot_segment(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    let mut at = 0;
    let mut dots = 0;
    while at < bytes.len() && dots < 3 {
        match bytes.get(at..) {
            Some([b'.', ..]) => at += 1,
            Some([b'%', b'2', b'e' | b'E', ..]) => at += 3,
            _ => return false,
        }
        dots += 1;
    }
    at == bytes.len() && (1..=2).contains(&dots)
}

/// A URL the library may send users or secrets to (see the module doc).
pub fn check<'a>(text: &'a str, what: &str, code: ErrorCode) -> Result<HttpUrl<'a>> {
    let problem = match parse(text) {
        None => Message::UrlNotAbsolute,
        Some(url) if url.has_userinfo => Message::UrlWithUserinfo,
        Some(url) if url.fragment.is_some() => Message::UrlWithFragment,
        Some(url) if !url.https && !url.is_loopback() => Message::UrlNotHttps,
        Some(url) => return Ok(url),
    };
    Err(problem.with(&[what]).recoded(code))
}

/// `base` (a checked endpoint, see `Endpoints::checked`) with `pairs`
/// form-urlencoded onto its query, after any it has.
pub fn with_query<'p>(base: &str, pairs: impl IntoIterator<Item = (&'p str, &'p str)>) -> String {
    let mut url = String::with_capacity(base.len() + 512);
    url.push_str(base);
    push_form(
        &mut url,
        if find_byte(base, b'?').is_some() {
            "&"
        } else {
            "?"
        },
        pairs,
    );
    url
}

/// `name=value` pairs application/x-www-form-urlencoded onto `out`, the
/// first after `first` (`?` in a URL, nothing in a body), then `&`-joined.
pub fn push_form<'p>(
    out: &mut String,
    first: &str,
    pairs: impl IntoIterator<Item = (&'p str, &'p str)>,
) {
    let mut separator = first;
    for (name, value) in pairs {
        out.push_str(separator);
        push_form_encoded(out, name);
        out.push('=');
        push_form_encoded(out, value);
        separator = "&";
    }
}

/// `text` application/x-www-form-urlencoded, as `form_urlencoded` writes it
/// (a property test compares them): `*-._` and ASCII letters and digits
/// as they are, a space as `+`, every other byte as `%XX`. The one encoder
/// for query strings, form bodies and Basic credentials. By hand: the
/// crate's serializer brought a 768-byte table of `%XX` strings into the
/// page build.
pub fn push_form_encoded(out: &mut String, text: &str) {
    // One encoder for both (the bytes are ASCII, so the text stays UTF-8).
    let mut bytes = std::mem::take(out).into_bytes();
    push_form_bytes(&mut bytes, text.as_bytes());
    *out = String::from_utf8(bytes).unwrap_or_default();
}

/// As [`push_form_encoded`], onto bytes: the start writes its URL into one
/// byte buffer. Runs of unescaped bytes are copied whole: a `push` per byte
/// is a call at opt-level "z", and was a fifth of a start's time.
pub fn push_form_bytes(out: &mut Vec<u8>, text: &[u8]) {
    let unchanged = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_');
    let mut rest = text;
    // No emptiness test: an empty rest copies nothing and stops below.
    // `position`, not `take_while().count()`: page wasm -27 B gzip.
    loop {
        let run = rest
            .iter()
            .position(|&b| !unchanged(b))
            .unwrap_or(rest.len());
        let Some((plain, after)) = rest.split_at_checked(run) else {
            break;
        };
        put(out, plain);
        let Some((&b, after)) = after.split_first() else {
            break;
        };
        rest = after;
        let escaped = [
            b'%',
            HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'),
            HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0'),
        ];
        // One extend for both: a `push` brings its own growth code.
        put(out, if b == b' ' { b"+" } else { &escaped });
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

#[cfg(test)]
mod tests {

    /// Every byte, alone and between others, written as form_urlencoded
    /// writes it.
    #[test]
    fn form_bytes_match_form_urlencoded() {
        for b in 0..=255u8 {
            for text in [&[b][..], &[b'a', b, b'~', b, b'z']] {
                let mut ours = b"x".to_vec();
                super::push_form_bytes(&mut ours, text);
                let theirs: String = url::form_urlencoded::byte_serialize(text).collect();
                assert_eq!(ours, [b"x", theirs.as_bytes()].concat(), "{b}");
            }
        }
    }

    /// Every string of up to 6 symbols of the addresses' alphabet, and
    /// random longer ones, read as std reads them.
    #[test]
    fn ip_readers_match_std() {
        let alphabet = b"0:.1f9A2";
        let check = |text: &str| {
            assert_eq!(ipv4(text), text.parse::<Ipv4Addr>().ok(), "{text}");
            assert_eq!(ipv6(text), text.parse::<Ipv6Addr>().ok(), "{text}");
            let port = crate::core::urls::ip::number(text.as_bytes(), &mut 0, false, true, 0xFFFF);
            if text.bytes().all(|b| b.is_ascii_digit()) && (1..=5).contains(&text.len()) {
                assert_eq!(
                    port.and_then(|p| u16::try_from(p).ok()),
                    text.parse::<u16>().ok(),
                    "{text}"
                );
            }
        };
        let mut text = String::new();
        let mut stack = vec![String::new()];
        while let Some(prefix) = stack.pop() {
            check(&prefix);
            if prefix.len() < 6 {
                for &b in alphabet {
                    text.clear();
                    text.push_str(&prefix);
                    text.push(char::from(b));
                    stack.push(text.clone());
                }
            }
        }
        let wide = b"0123456789abcdefABCDEF:.:.:g";
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..300_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 48) as usize;
            let text: String = (0..len)
                .map(|i| char::from(wide[((seed >> (i % 58)) as usize + i * 7) % wide.len()]))
                .collect();
            check(&text);
        }
        for text in [
            "::",
            "::1",
            "1::",
            "::ffff:1.2.3.4",
            "1:2:3:4:5:6:1.2.3.4",
            "1:2:3:4:5:6:7:1.2.3.4",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7::",
            "::1:2:3:4:5:6:7",
            // An IPv4 part at byte 14 fits the reader's spare bytes: refused
            // after, with and without `::`.
            "1::2:3:4:5:6:7:1.2.3.4",
            "::1:2:3:4:5:6:1.2.3.4",
            "::2:3:4:5:6:7:1.2.3.4",
            "1::1.2.3.4",
            "1.2.3.4::",
            "0000:0:0:0:0:0:0:1",
            "00000::",
            "127.0.0.1",
            "01.0.0.1",
            "0.0.0.00",
            "256.1.1.1",
            "1.2.3",
            "1.2.3.4.5",
            "::1.2.3.4:5",
            "1:2:3:4:5:6:7:8:9",
            ":1::",
            "1:::2",
            "65535",
            "65536",
            "00080",
            "0",
            "99999",
            "123.045.0.1",
        ] {
            check(text);
        }
    }
    use super::*;

    /// Addresses built from groups, separators and IPv4 parts (up to 16
    /// pieces: past eight groups, an IPv4 part in every place), read as
    /// std reads them.
    #[test]
    fn ipv6_matches_std_on_built_addresses() {
        let pieces = [
            "0",
            "1",
            "ffff",
            "FfF0",
            "12345",
            "0000",
            "g",
            ":",
            ":",
            ":",
            "::",
            "::",
            ".",
            "1.2.3.4",
            "01.2.3.4",
            "255.255.255.255",
            "256.1.1.1",
            "1.2.3",
            "1.2.3.4.5",
        ];
        let mut seed = 0x0123_4567_89AB_CDEFu64;
        let mut text = String::new();
        let (mut accepted, mut with_ipv4) = (0, 0);
        for round in 0..400_000 {
            text.clear();
            for i in 0..(round % 17) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                // Mostly group, `:`, group, ...: the shapes std accepts.
                let piece = match (i % 2, seed % 3) {
                    (1, 0 | 1) => ":",
                    (0, 0) => "1",
                    (0, 1) if seed & 0x100 == 0 => "1.2.3.4",
                    _ => pieces[(seed >> 8) as usize % pieces.len()],
                };
                text.push_str(piece);
            }
            let ours = ipv6(&text);
            assert_eq!(ours, text.parse::<Ipv6Addr>().ok(), "{text}");
            accepted += usize::from(ours.is_some());
            with_ipv4 += usize::from(ours.is_some() && text.contains('.'));
        }
        // Not only refusals: the pieces do build addresses.
        assert!(
            accepted > 4_000 && with_ipv4 > 400,
            "{accepted} {with_ipv4}"
        );
    }

    #[test]
    fn reads_the_parts() {
        let url = parse("https://API.example.com:8443/a/b?x=1&y=2#f").unwrap();
        assert_eq!(url.host, Host::Domain("API.example.com"));
        assert_eq!(
            (url.port, url.path, url.query, url.fragment),
            (Some(8443), "/a/b", Some("x=1&y=2"), Some("f"))
        );
        let v6 = parse("http://[::1]:3000/cb").unwrap();
        assert!(v6.is_loopback());
        assert_eq!(v6.port, Some(3000));
        let v6 = parse("http://[1::]").unwrap();
        assert_eq!(
            (v6.host, v6.port),
            (Host::V6(Ipv6Addr::from(1u128 << 112)), None)
        );
        assert!(parse("http://127.0.0.1/cb").unwrap().is_loopback());
        assert!(parse("HTTP://LOCALHOST/cb").unwrap().is_loopback());
    }

    #[test]
    fn refuses_what_it_does_not_understand() {
        for bad in [
            "ftp://x.com/",
            "javascript:alert(1)",
            "//x.com/",
            "https://",
            "https://x.com:/",
            "https://x.com:99999/",
            "https://x .com/",
            "https://x.com/a b",
            "https://xn--é.com/",
            "https://x.com\\@y.com/",
            "https://[::1/",
            "https://127.1/",
            "https://1.2.3.256/",
            "https://x%2ecom/",
            "https://[fe80::1%25eth0]/",
            "https://x.com:+80/",
            "https://x.com:80a/",
            "https://x.com:8.0/",
            "https://[::1]x/",
            "https://[::1]]:80/",
            "https://[1:2]:3]/",
            "https://[::1]:/",
            "https://[::1]:80]/",
            "https://[]/",
            "https://x.com]/",
            "https://[x.com]/",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    // Found by the url_diff fuzz target: WHATWG reads a host whose last label
    // is a number (decimal, or 0x hex) as IPv4, so `0x7f.1` is 127.0.0.1 to
    // fetch. Ours took it for a domain (not loopback: a different origin).
    #[test]
    fn differential_hosts_ending_in_a_number_are_ipv4_or_refused() {
        for bad in [
            "https://0x7f.1/",
            "https://a.1/",
            "https://example.com.0x/",
            "https://a.0X1f/",
            "https://x.08/",
            "https://1.2.3.4./",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        for domain in [
            "https://a.1x/",
            "https://0x7f.com/",
            "https://a.0xg/",
            "https://1a/",
        ] {
            assert!(
                matches!(parse(domain).unwrap().host, Host::Domain(_)),
                "{domain}"
            );
        }
    }

    // Found by url_diff: an `xn--` label is punycode, which WHATWG decodes
    // and validates (IDNA) and ours does not read: refused, as non-ASCII is.
    #[test]
    fn differential_punycode_labels_are_refused() {
        for bad in [
            "https://xn--/",
            "https://a.XN--.p/",
            "https://xn--nxasmq6b.com/",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        assert!(parse("https://xn-a.com/").is_some());
    }

    #[test]
    fn userinfo_is_seen_whatever_hides_it() {
        for tricky in [
            "https://user@x.com/",
            "https://a:b@x.com/",
            "https://x.com@evil.com/",
        ] {
            assert!(parse(tricky).unwrap().has_userinfo, "{tricky}");
        }
    }

    #[test]
    fn origins() {
        let a = parse("https://api.example.com/x").unwrap();
        assert!(a.same_origin(&parse("https://API.example.com:443/y").unwrap()));
        assert!(!a.same_origin(&parse("https://api.example.com.evil.com/").unwrap()));
        assert!(!a.same_origin(&parse("http://api.example.com/").unwrap()));
    }

    #[test]
    fn appends_queries() {
        assert_eq!(
            with_query("https://x.com/", [("a", "1 2")]),
            "https://x.com/?a=1+2"
        );
        assert_eq!(
            with_query("https://x.com/p?k=v", [("a", "&")]),
            "https://x.com/p?k=v&a=%26"
        );
    }
}
