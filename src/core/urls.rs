//! Which URLs the library will send users or secrets to: `https`, or `http`
//! on a loopback host (local development and the sandbox). No fragments, no
//! user:password@, nothing else (`javascript:`, `data:`, custom schemes).

use crate::core::error::{fail, ErrorCode, Result};
use url::{Host, Url};

pub fn check(text: &str, what: &str, code: ErrorCode) -> Result<Url> {
    let Ok(url) = Url::parse(text) else {
        return fail(code, format!("{what} is not an absolute URL"));
    };
    if !url.username().is_empty() || url.password().is_some() {
        return fail(code, format!("{what} must not contain user:password@"));
    }
    if url.fragment().is_some() {
        return fail(code, format!("{what} must not contain a #fragment"));
    }
    let secure = match (url.scheme(), url.host()) {
        ("https", Some(_)) => true,
        ("http", Some(host)) => is_loopback(&host),
        _ => false,
    };
    if !secure {
        return fail(
            code,
            format!("{what} must use https (http is allowed only on a loopback host)"),
        );
    }
    Ok(url)
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => ip.is_loopback(),
    }
}
