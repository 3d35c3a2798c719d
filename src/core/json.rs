//! A small, strict JSON reader and writer (RFC 8259) for what OAuth moves:
//! token responses, options, the pending value. It replaces serde_json in the
//! shipped module (a quarter of its size, see benches/README.md).
//!
//! Strict where laxness would be a hazard: duplicate keys are refused (which
//! `access_token` would win?), nesting is capped, and numbers stay text until
//! read as an integer, so no float code ships.

use crate::core::names;
use crate::core::text::{decimal, push_unicode_escape};

/// Nesting deeper than this is refused (a stack-safe bound).
pub const DEPTH_MAX: usize = 64;

/// A JSON value (RFC 8259 §3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// The number's text, validated against RFC 8259 §6.
    Number(String),
    /// A string, its escapes decoded.
    String(String),
    /// An array, in order.
    Array(Vec<Json>),
    /// Keys in document order, each once.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// An object's members, in document order.
    pub fn as_object(&self) -> Option<&[(String, Json)]> {
        match self {
            Json::Object(fields) => Some(fields),
            _ => None,
        }
    }

    /// An array's items.
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    /// A non-negative number as an integer, its fraction dropped; `None` when
    /// negative or beyond u64 (so `1e300` is refused, not rounded).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(text) => integer_part(text),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// The value of `key` in an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.as_object()?
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Compact JSON text.
    pub fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(n),
            Json::String(s) => write_str(out, s),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(out, k);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }

    /// Compact JSON text, as a new string (see [`Json::write`]).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }
}

/// Parses a whole document; `None` on any malformation.
pub fn parse(text: &str) -> Option<Json> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        at: 0,
    };
    let value = parser.value(0)?;
    parser.skip_space();
    (parser.at == parser.bytes.len()).then_some(value)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

// `peek` and `next` run once per byte: at opt-level "z" they would stay
// calls (a third of the parse), and inlined they cost a few bytes each.
impl Parser<'_> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    #[inline(always)]
    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at.checked_add(word.len())?;
        (self.bytes.get(self.at..end)? == word).then(|| self.at = end)
    }

    fn value(&mut self, depth: usize) -> Option<Json> {
        if depth > DEPTH_MAX {
            return None;
        }
        self.skip_space();
        match self.peek()? {
            b'n' => self.eat(b"null").map(|_| Json::Null),
            b't' => self.eat(b"true").map(|_| Json::Bool(true)),
            b'f' => self.eat(b"false").map(|_| Json::Bool(false)),
            b'"' => self.string().map(Json::String),
            b'[' => self.array(depth),
            b'{' => self.object(depth),
            _ => self.number(),
        }
    }

    fn array(&mut self, depth: usize) -> Option<Json> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.peek()? == b']' {
            self.at += 1;
            return Some(Json::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_space();
            match self.next()? {
                b',' => continue,
                b']' => return Some(Json::Array(items)),
                _ => return None,
            }
        }
    }

    fn object(&mut self, depth: usize) -> Option<Json> {
        self.at += 1;
        let mut fields: Vec<(String, Json)> = Vec::new();
        self.skip_space();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(Json::Object(fields));
        }
        loop {
            self.skip_space();
            if self.peek()? != b'"' {
                return None;
            }
            let key = self.string()?;
            self.skip_space();
            if self.next()? != b':' {
                return None;
            }
            let value = self.value(depth + 1)?;
            fields.push((key, value));
            self.skip_space();
            match self.next()? {
                b',' => continue,
                b'}' => return no_duplicates(fields).map(Json::Object),
                _ => return None,
            }
        }
    }

    fn string(&mut self) -> Option<String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let start = self.at;
            // A slice scan: a tight loop even at opt-level "z".
            let run = self.bytes.get(start..)?.iter();
            self.at += run
                .take_while(|b| !matches!(b, b'"' | b'\\' | 0..=0x1f))
                .count();
            // Cut at ASCII bytes, so the text's UTF-8 stays valid: no check.
            let run = self.text.get(start..self.at)?;
            match self.next()? {
                b'"' => {
                    out.push_str(run);
                    return Some(out);
                }
                b'\\' => {
                    // One allocation for the whole text (not one per run).
                    if out.capacity() == 0 {
                        out.reserve(self.escaped_len(start)?);
                    }
                    out.push_str(run);
                    out.push(self.escape()?);
                }
                _ => return None, // a raw control character
            }
        }
    }

    /// Bytes from `from` to the string's closing quote, which an escape's
    /// second byte never is: the escaped length bounds the decoded one.
    fn escaped_len(&self, from: usize) -> Option<usize> {
        let mut end = from;
        loop {
            match *self.bytes.get(end)? {
                b'"' => return Some(end - from),
                b'\\' => end += 2,
                _ => end += 1,
            }
        }
    }

    fn escape(&mut self) -> Option<char> {
        Some(match self.next()? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let high = self.hex4()?;
                if (0xD800..0xDC00).contains(&high) {
                    self.eat(b"\\u")?;
                    let low = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return None;
                    }
                    char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))?
                } else {
                    char::from_u32(high)?
                }
            }
            _ => return None,
        })
    }

    fn hex4(&mut self) -> Option<u32> {
        let end = self.at.checked_add(4)?;
        let digits = std::str::from_utf8(self.bytes.get(self.at..end)?).ok()?;
        let value = u32::from_str_radix(digits, 16).ok()?;
        self.at = end;
        digits
            .bytes()
            .all(|b| b.is_ascii_hexdigit())
            .then_some(value)
    }

    /// RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> Option<Json> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.next()? {
            b'0' => {}
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.require_digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            self.require_digits()?;
        }
        // ASCII only, by now.
        Some(Json::Number(self.text.get(start..self.at)?.to_owned()))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
    }

    fn require_digits(&mut self) -> Option<()> {
        let start = self.at;
        self.digits();
        (self.at > start).then_some(())
    }
}

/// `fields`, unless a key appears twice. Sorting once keeps this O(n log n):
/// a scan per key was quadratic, and a hostile 650 KB body took 6 s.
fn no_duplicates(fields: Vec<(String, Json)>) -> Option<Vec<(String, Json)>> {
    // A few keys (a token answer, an envelope): pairs compared in place,
    // no list of keys allocated and sorted.
    if fields.len() <= 8 {
        let mut rest = fields.iter();
        while let Some((key, _)) = rest.next() {
            if rest.clone().any(|(other, _)| other == key) {
                return None;
            }
        }
        return Some(fields);
    }
    let mut keys: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    (!names::has_duplicates(&mut keys)).then_some(fields)
}

/// The integer part of a JSON number's text, exactly (exponent applied by
/// moving the decimal point); `None` if negative or over u64.
pub fn integer_part(text: &str) -> Option<u64> {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (text.get(..at)?, text.get(at + 1..)?.parse::<i32>().ok()?),
        None => (text, 0),
    };
    if let Some(magnitude) = mantissa.strip_prefix('-') {
        // Only a negative zero is non-negative.
        return magnitude
            .bytes()
            .all(|b| b == b'0' || b == b'.')
            .then_some(0);
    }
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = || whole.bytes().chain(fraction.bytes());
    if !digits().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Where the decimal point ends up once the exponent moves it.
    let point = i64::try_from(whole.len())
        .ok()?
        .checked_add(i64::from(exponent))?;
    let mut value: u64 = 0;
    for digit in digits().take(usize::try_from(point.max(0)).ok()?) {
        value = value
            .checked_mul(10)?
            .checked_add(u64::from(digit - b'0'))?;
    }
    if value == 0 {
        return Some(0); // however many zeros the exponent adds
    }
    for _ in 0..point
        .saturating_sub(i64::try_from(whole.len() + fraction.len()).ok()?)
        .max(0)
    {
        value = value.checked_mul(10)?; // overflows within 20 steps
    }
    Some(value)
}

/// Writes `s` as a JSON string (quotes and escapes). Runs that need no
/// escape are copied whole: most values (tokens, URLs) are one run.
pub fn write_str(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    // 0xE2 starts U+2028/U+2029 (and other characters): the slow path checks.
    if s.bytes()
        .all(|b| b >= 0x20 && b != b'"' && b != b'\\' && b != 0xE2)
    {
        out.push_str(s);
        out.push('"');
        return;
    }
    let mut run = 0;
    for (at, c) in s.char_indices() {
        let escape = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => "",
            _ => continue,
        };
        out.push_str(s.get(run..at).unwrap_or_default());
        if escape.is_empty() {
            push_unicode_escape(out, c as u32);
        } else {
            out.push_str(escape);
        }
        run = at + c.len_utf8();
    }
    out.push_str(s.get(run..).unwrap_or_default());
    out.push('"');
}

/// Builds a JSON object's text field by field; the wasm layer writes its
/// results with it. `opt_*` methods write `None` as `null`.
pub struct ObjectWriter {
    out: String,
    empty: bool,
}

impl Default for ObjectWriter {
    fn default() -> Self {
        // Room for a typical result (a token, a started flow): growing a
        // String from one byte reallocates on every field.
        let mut out = String::with_capacity(512);
        out.push('{');
        ObjectWriter { out, empty: true }
    }
}

impl ObjectWriter {
    fn key(&mut self, key: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        write_str(&mut self.out, key);
        self.out.push(':');
        &mut self.out
    }

    /// A string member.
    pub fn str(&mut self, key: &str, value: &str) -> &mut Self {
        write_str(self.key(key), value);
        self
    }

    /// A string, or `null` for `None` (JS sees an explicit null).
    pub fn opt_str(&mut self, key: &str, value: Option<&str>) -> &mut Self {
        match value {
            Some(v) => self.str(key, v),
            None => self.raw(key, "null"),
        }
    }

    /// An integer member.
    pub fn u64(&mut self, key: &str, value: u64) -> &mut Self {
        self.key(key).push_str(&decimal(value));
        self
    }

    /// An integer, or `null` for `None`.
    pub fn opt_u64(&mut self, key: &str, value: Option<u64>) -> &mut Self {
        match value {
            Some(v) => self.u64(key, v),
            None => self.raw(key, "null"),
        }
    }

    /// A boolean member.
    pub fn bool(&mut self, key: &str, value: bool) -> &mut Self {
        self.raw(key, if value { "true" } else { "false" })
    }

    /// An array of strings.
    pub fn str_list(&mut self, key: &str, values: &[String]) -> &mut Self {
        let out = self.key(key);
        out.push('[');
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_str(out, v);
        }
        out.push(']');
        self
    }

    /// Any [`Json`] value.
    pub fn json(&mut self, key: &str, value: &Json) -> &mut Self {
        value.write(self.key(key));
        self
    }

    /// Already-valid JSON text.
    pub fn raw(&mut self, key: &str, text: &str) -> &mut Self {
        self.key(key).push_str(text);
        self
    }

    /// Closes the object and takes its text; the writer is then spent.
    pub fn finish(&mut self) -> String {
        let mut out = std::mem::take(&mut self.out);
        out.push('}');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rfc8259_values_and_round_trips() {
        let text =
            r#"{"a":[1,-2.5e3,true,false,null],"b":"x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00","c":{}}"#;
        let value = parse(text).unwrap();
        assert_eq!(
            value.get("b").unwrap().as_str(),
            Some("x\"\\/\u{8}\u{c}\n\r\té😀")
        );
        assert_eq!(parse(&value.to_text()).unwrap(), value);
    }

    #[test]
    fn refuses_malformed_documents() {
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "01",
            "1.",
            "1e",
            "-",
            "+1",
            "\"\\x\"",
            "\"\u{1}\"",
            "{\"a\":1,\"a\":2}",
            "\"\\ud800\"",
            "\"\\ud800\\u0041\"",
            "nul",
            "[1] x",
            "'a'",
            "NaN",
            "Infinity",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    // 60 000 keys: a per-key scan for duplicates took 6.1 s (release); the
    // sort takes milliseconds. Speed is the bench's to report, not a test's.
    #[test]
    fn many_keys_and_a_duplicate_among_them() {
        let body = format!(
            "{{{}}}",
            (0..60_000)
                .map(|i| format!("\"k{i}\":0"))
                .collect::<Vec<_>>()
                .join(",")
        );
        assert_eq!(
            parse(&body).and_then(|v| v.as_object().map(<[_]>::len)),
            Some(60_000)
        );
        assert_eq!(
            parse(&format!("{}{}", &body[..body.len() - 1], ",\"k7\":1}")),
            None
        );
    }

    #[test]
    fn caps_nesting() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(parse(&deep(DEPTH_MAX)).is_some());
        assert_eq!(parse(&deep(DEPTH_MAX + 2)), None);
        assert_eq!(parse(&deep(100_000)), None);
    }

    #[test]
    fn integers_exactly_or_not_at_all() {
        for (text, want) in [
            ("0", Some(0)),
            ("3600", Some(3600)),
            ("3599.9", Some(3599)),
            ("1.5e3", Some(1500)),
            ("36e2", Some(3600)),
            ("1741987517", Some(1_741_987_517)),
            ("18446744073709551615", Some(u64::MAX)),
            ("18446744073709551616", None),
            ("1e300", None),
            ("-5", None),
            ("-0", Some(0)),
            ("5e-1", Some(0)),
            ("12e-1", Some(1)),
            ("0e999999999", Some(0)),
            ("1e999999999", None),
        ] {
            assert_eq!(Json::Number(text.into()).as_u64(), want, "{text}");
        }
    }

    #[test]
    fn writer_escapes_and_skips_nothing() {
        let text = ObjectWriter::default()
            .str("s", "a\"b\u{1}\u{2028}")
            .opt_str("n", None)
            .u64("u", 7)
            .bool("b", true)
            .str_list("l", &["x".into()])
            .finish();
        assert_eq!(
            text,
            r#"{"s":"a\"b\u0001\u2028","n":null,"u":7,"b":true,"l":["x"]}"#
        );
        assert!(parse(&text).is_some());
    }
}
