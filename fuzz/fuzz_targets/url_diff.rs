//! Differential: any URL `urls::parse` accepts parses under the `url` crate
//! (WHATWG, what `fetch` uses), with the same scheme, host, port, path,
//! query and fragment. A disagreement is a bug in ours.
//!
//! Compared after the normalisations WHATWG applies and we deliberately do
//! not (we read, we never rewrite):
//! - host case (WHATWG lowercases domains), a default port (dropped), an
//!   empty path (becomes `/`);
//! - characters WHATWG percent-encodes: `"<>` + `` ` {} `` in the path,
//!   `"<>'` in the query, `"<>` + `` ` `` in the fragment;
//! - dot segments (`.`, `..`, `%2e` spellings) are resolved by WHATWG: the
//!   path is compared only when it has none. Where a token is sent, the
//!   library refuses them (`api_request`; see the `api_path` target).
//!
//! Deliberate refusals (ours refuses what WHATWG accepts; not checked here):
//! non-ASCII and IDNA hosts (`xn--` labels too), percent-encoded hosts, backslashes, tabs and
//! newlines, spaces, `https:host` without `//`, IPv4 shorthand and hex/octal
//! forms (`127.1`, `0x7f.0.0.1`), IPv6 zone ids, empty ports, schemes other
//! than http(s): each is a way to make two parsers disagree, so ours takes
//! none of them.
#![no_main]
use libfuzzer_sys::fuzz_target;
use partner_oauth::core::urls::{self, Host};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Some(ours) = urls::parse(text) else { return };
    let theirs = url::Url::parse(text)
        .unwrap_or_else(|e| panic!("ours accepts {text:?}, url refuses it: {e}"));

    assert_eq!(theirs.scheme(), if ours.https { "https" } else { "http" }, "{text:?}");
    let host = theirs.host().unwrap_or_else(|| panic!("no host: {text:?}"));
    match (&ours.host, host) {
        (Host::Domain(a), url::Host::Domain(b)) => assert_eq!(a.to_ascii_lowercase(), b, "{text:?}"),
        (Host::V4(a), url::Host::Ipv4(b)) => assert_eq!(*a, b, "{text:?}"),
        (Host::V6(a), url::Host::Ipv6(b)) => assert_eq!(*a, b, "{text:?}"),
        (a, b) => panic!("hosts differ for {text:?}: ours {a:?}, url {b:?}"),
    }
    let default = if ours.https { 443 } else { 80 };
    assert_eq!(Some(ours.port.unwrap_or(default)), theirs.port_or_known_default(), "{text:?}");
    if !ours.has_userinfo {
        assert!(theirs.username().is_empty() && theirs.password().is_none(), "{text:?}");
    }
    if !ours.path.split('/').any(urls::is_dot_segment) {
        let path = if ours.path.is_empty() { "/" } else { ours.path };
        assert_eq!(encode(path, b"\"<>`{}"), theirs.path(), "{text:?}");
    }
    assert_eq!(ours.query.map(|q| encode(q, b"\"<>'")).as_deref(), theirs.query(), "{text:?}");
    assert_eq!(ours.fragment.map(|f| encode(f, b"\"<>`")).as_deref(), theirs.fragment(), "{text:?}");
});

/// `text` with each of `set` percent-encoded (ours admits printable ASCII
/// only, so no other byte needs it).
fn encode(text: &str, set: &[u8]) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii() && set.contains(&(c as u8)) {
            out.push_str(&format!("%{:02X}", c as u8));
        } else {
            out.push(c);
        }
    }
    out
}
