//! Differential: any JSON `json::parse` accepts, `serde_json` (with
//! `arbitrary_precision`, so numbers compare as their exact text) accepts
//! too, with an equal value. A disagreement is a bug in ours. Numbers are
//! compared as exact decimals (serde_json writes `4e4` back as `4e+4`).
//!
//! Deliberate refusals (ours refuses what serde_json accepts; not checked
//! here): duplicate keys (serde_json keeps the last: which `access_token`
//! would win?), nesting deeper than 64 (serde_json: 128), and lone UTF-16
//! surrogate escapes. Skipped: an object key that is serde_json's own
//! `arbitrary_precision` token, which it reads as a number (an artifact of
//! the oracle; the fuzz smoke met `{"$serde_json::private::Number":"a"}`).
#![no_main]
use libfuzzer_sys::fuzz_target;
use partner_oauth::core::json::{self, Json};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Some(ours) = json::parse(text) else { return };
    if has_key(&ours, NUMBER_TOKEN) {
        return;
    }
    let theirs: Value = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("ours accepts {text:?}, serde_json refuses it: {e}"));
    assert!(same(&ours, &theirs), "{text:?}: ours {ours:?}, serde_json {theirs:?}");
});

/// serde_json's private key for a number with `arbitrary_precision`.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Whether any object in `value` has the key `key`.
fn has_key(value: &Json, key: &str) -> bool {
    match value {
        Json::Array(items) => items.iter().any(|item| has_key(item, key)),
        Json::Object(fields) => fields.iter().any(|(k, v)| k == key || has_key(v, key)),
        _ => false,
    }
}

fn same(ours: &Json, theirs: &Value) -> bool {
    match (ours, theirs) {
        (Json::Null, Value::Null) => true,
        (Json::Bool(a), Value::Bool(b)) => a == b,
        (Json::Number(a), Value::Number(b)) => exact(a) == exact(&b.to_string()),
        (Json::String(a), Value::String(b)) => a == b,
        (Json::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (Json::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w)))
        }
        _ => false,
    }
}

/// A JSON number's exact value, as text: sign, significant digits, and the
/// power of ten of the last one (`1.50e2` and `150` are both `+15e1`).
/// An exponent beyond i128 is kept as written (sign and leading zeros
/// normalised), with the mantissa as written.
fn exact(text: &str) -> String {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("+", text),
    };
    let (mantissa, exponent) = text.split_once(['e', 'E']).unwrap_or((text, "0"));
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int}{frac}");
    let trimmed = digits.trim_start_matches('0');
    let significant = trimmed.trim_end_matches('0');
    if significant.is_empty() {
        return format!("{negative}0");
    }
    let exponent = exponent.trim_start_matches('+');
    match exponent.parse::<i128>() {
        Ok(e) => {
            let e = e - frac.len() as i128 + (trimmed.len() - significant.len()) as i128;
            format!("{negative}{significant}e{e}")
        }
        Err(_) => {
            let (sign, magnitude) = match exponent.strip_prefix('-') {
                Some(m) => ("-", m),
                None => ("", exponent),
            };
            format!("{negative}{mantissa}e{sign}{}", magnitude.trim_start_matches('0'))
        }
    }
}
