//! Review 131: helper ur49's `read_number` (u32::MAX as "no number") on the
//! ports' and IPv4 parts' edges: `urls::parse` against the std reader
//! (`core::oracle::url_parse`) and, where it accepts, the `url` crate's
//! host and port.
#![cfg(not(target_arch = "wasm32"))]

use partner_oauth::core::{oracle, urls};

const PORTS: &[&str] = &[
    "",
    ":",
    ":0",
    ":00",
    ":000000",
    ":1",
    ":01",
    ":080",
    ":443",
    ":65535",
    ":065535",
    ":0065535",
    ":65536",
    ":99999",
    ":100000",
    ":4294967295",
    ":4294967296",
    ":18446744073709551616",
    ":99999999999999999999999999999999999999",
    ":000000000000000000000000000000000000000080",
    ":80a",
    ":8.0",
    ":80.",
    ":a80",
    ":0x50",
    ":+80",
    ":-1",
    ":٨٠",
    ":８０",
    ":80:80",
    "::80",
    ":1e3",
    ":%38%30",
    ":6553",
    ":65530",
    ":65539",
    ":70000",
];
const HOSTS: &[&str] = &[
    "as.example",
    "127.0.0.1",
    "0.0.0.0",
    "255.255.255.255",
    "256.0.0.1",
    "1.2.3.4.5",
    "1.2.3",
    "4294967295",
    "4294967296",
    "0x7f.0.0.1",
    "0x7f000001",
    "0177.0.0.1",
    "01.2.3.4",
    "1.2.3.04",
    "00.0.0.0",
    "1.2.3.4.",
    "1..2.3",
    "1.2.3.4a",
    "1.2.3.a4",
    "١.٢.٣.٤",
    "１.２.３.４",
    "999.1.1.1",
    "1.2.3.999999999999999999999999999999",
    "[::1]",
    "[::ffff:1.2.3.4]",
    "[::ffff:1.2.3.256]",
    "[::ffff:01.2.3.4]",
    "[1:2:3:4:5:6:7:10000]",
    "[::fffff]",
    "[0::00000]",
    "[::ffff]",
    "[ffff::]",
    "[1:2:3:4:5:6:1.2.3.4]",
    "x.1",
    "x.0x1",
    "x.09",
    "a.4294967295",
];

#[test]
fn review131_edge_ports_and_ipv4_match_std_and_url() {
    let (mut n, mut accepted) = (0, 0);
    for scheme in ["http://", "https://"] {
        for host in HOSTS {
            for port in PORTS {
                for tail in ["", "/", "/x?y", "#f"] {
                    let text = format!("{scheme}{host}{port}{tail}");
                    let ours = urls::parse(&text);
                    assert_eq!(ours, oracle::url_parse(&text), "{text:?}");
                    n += 1;
                    let Some(ours) = ours else { continue };
                    accepted += 1;
                    let theirs = url::Url::parse(&text).expect(&text);
                    let default = if ours.https { 443 } else { 80 };
                    assert_eq!(
                        ours.port.unwrap_or(default),
                        theirs.port_or_known_default().unwrap(),
                        "{text:?}"
                    );
                    let host = match ours.host {
                        urls::Host::Domain(d) => url::Host::Domain(d.to_ascii_lowercase()),
                        urls::Host::V4(a) => url::Host::Ipv4(a),
                        urls::Host::V6(a) => url::Host::Ipv6(a),
                    };
                    assert_eq!(Some(host), theirs.host().map(|h| h.to_owned()), "{text:?}");
                }
            }
        }
    }
    assert_eq!((n, accepted), (10_952, 880));
    println!("review131: {n} URLs, {accepted} accepted");
}
