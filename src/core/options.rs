//! Options arrive as JSON (from a Rust caller's config, or from JS through
//! `JSON.stringify` for the full build's exchange, token and JWT options;
//! client and start options are read in JS by src/wasm/options.js, with
//! these messages, so the page build carries no JSON reader). Reading is strict: each field has one type, `null`
//! means "not given" (as JS `undefined` does), and a name nobody reads is an
//! error, so a typo cannot pass silently. Messages name fields, never values:
//! a value may be a secret.

use crate::core::error::{Error, Result};
use crate::core::json::{self, Json};
use crate::core::messages::Message;
use crate::core::secret::Secret;
use crate::core::text::Joined;

/// Reads fields one by one. The first wrong one is remembered and every read
/// after it yields nothing; `finish` reports it. Readers thus build their
/// structs without an early return per field (each one was a ladder of
/// drops, ~5 KB of wasm in all).
pub struct Fields {
    what: String,
    fields: Vec<(String, Json)>,
    /// Secret values read so far (here or in a parent), never to be echoed.
    secrets: Vec<String>,
    error: Option<Error>,
}

impl Fields {
    /// JSON text that must be an object.
    pub fn parse(text: &str, what: &str) -> Result<Fields> {
        match json::parse(text) {
            Some(value) => Fields::new(value, what),
            None => Err(Message::OptionsNotJson.with(&[what])),
        }
    }

    /// A parsed value that must be an object; `what` names it in messages.
    pub fn new(value: Json, what: &str) -> Result<Fields> {
        match value {
            Json::Object(fields) => Ok(Fields {
                what: what.to_owned(),
                fields,
                secrets: Vec::new(),
                error: None,
            }),
            _ => Err(Message::OptionsNotObject.with(&[what])),
        }
    }

    /// Removes `key`; `null` counts as absent, and so does everything once
    /// a field was wrong.
    fn take(&mut self, key: &str) -> Option<Json> {
        if self.error.is_some() {
            return None;
        }
        let at = self.fields.iter().position(|(k, _)| k == key)?;
        let (_, value) = self.fields.swap_remove(at);
        (!value.is_null()).then_some(value)
    }

    fn record(&mut self, error: Error) {
        self.error.get_or_insert(error);
    }

    /// Records `message` about `key`; `list` fills a third `{}`, if any
    /// (the choices).
    fn wrong<T>(&mut self, key: &str, message: Message, list: &str) -> Option<T> {
        self.record(message.with(&[&self.what, key, list]));
        None
    }

    /// A string field.
    pub fn string(&mut self, key: &str) -> Option<String> {
        match self.take(key)? {
            Json::String(s) => Some(s),
            _ => self.wrong(key, Message::OptionNotString, ""),
        }
    }

    /// The string, or "" with the error recorded.
    pub fn required_string(&mut self, key: &str) -> String {
        if let Some(s) = self.string(key) {
            return s;
        }
        self.record(Message::OptionRequired.with(&[&self.what, key]));
        String::new()
    }

    /// A string field holding a secret; its value is kept out of later
    /// messages (see [`Fields::finish`]).
    pub fn secret(&mut self, key: &str) -> Option<Secret> {
        let value = self.string(key)?;
        self.secrets.push(value.clone());
        Some(Secret::new(value))
    }

    /// A boolean field.
    pub fn bool(&mut self, key: &str) -> Option<bool> {
        match self.take(key)? {
            Json::Bool(b) => Some(b),
            _ => self.wrong(key, Message::OptionNotBool, ""),
        }
    }

    /// A whole, non-negative number: a fraction or an exponent is refused
    /// (durations and counts a caller writes). See `truncated_u64`.
    pub fn u64(&mut self, key: &str) -> Option<u64> {
        match self.take(key)? {
            Json::Number(n) if n.bytes().all(|b| b.is_ascii_digit()) => match n.parse() {
                Ok(v) => Some(v),
                Err(_) => self.wrong(key, Message::OptionWholeTooLarge, ""),
            },
            _ => self.wrong(key, Message::OptionNotWhole, ""),
        }
    }

    /// A list of strings.
    pub fn strings(&mut self, key: &str) -> Option<Vec<String>> {
        let list = match self.take(key)? {
            Json::Array(items) => items
                .into_iter()
                .map(|v| match v {
                    Json::String(s) => Some(s),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>(),
            _ => None,
        };
        list.or_else(|| self.wrong(key, Message::OptionNotStrings, ""))
    }

    /// Any JSON value, as is.
    pub fn json(&mut self, key: &str) -> Option<Json> {
        self.take(key)
    }

    /// A non-negative number's integer part, its fraction dropped (times
    /// from `Date.now()`, which JS code may have divided). See `u64`.
    pub fn truncated_u64(&mut self, key: &str) -> Option<u64> {
        match self.take(key)? {
            n @ Json::Number(_) => n
                .as_u64()
                .or_else(|| self.wrong(key, Message::OptionNegative, "")),
            _ => self.wrong(key, Message::OptionNotNumber, ""),
        }
    }

    /// A string or a list of strings, as secrets (`stateKey`).
    pub fn secrets(&mut self, key: &str) -> Option<Vec<Secret>> {
        let list = match self.take(key)? {
            Json::String(s) => vec![s],
            other => {
                self.fields.push((key.to_owned(), other));
                self.strings(key)?
            }
        };
        self.secrets.extend(list.iter().cloned());
        Some(list.into_iter().map(Secret::new).collect())
    }

    /// An object of strings, in its order (the JSON reader refused
    /// duplicate names already).
    pub fn string_map(&mut self, key: &str) -> Option<Vec<(String, String)>> {
        let Json::Object(fields) = self.take(key)? else {
            return self.wrong(key, Message::OptionNotStringMap, "");
        };
        let map = fields
            .into_iter()
            .map(|(k, v)| match v {
                Json::String(v) => Some((k, v)),
                _ => None,
            })
            .collect::<Option<Vec<_>>>();
        map.or_else(|| self.wrong(key, Message::OptionNotStringMap, ""))
    }

    /// A nested object read by `read`; it inherits the secret values read
    /// so far, and its error becomes this one's.
    pub fn nested<T>(&mut self, key: &str, read: impl FnOnce(Fields) -> Result<T>) -> Option<T> {
        let value = self.take(key)?;
        let what = [&self.what, ".", key].cat();
        let nested = Fields::new(value, &what).map(|f| Fields {
            secrets: self.secrets.clone(),
            ..f
        });
        match nested.and_then(read) {
            Ok(value) => Some(value),
            Err(error) => {
                self.record(error);
                None
            }
        }
    }

    /// One of `choices`, by name.
    pub fn choice<T: Copy>(&mut self, key: &str, choices: &[(&str, T)]) -> Option<T> {
        let name = self.string(key)?;
        match choices.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => Some(*value),
            None => self.wrong(key, Message::OptionNotChoice, &names(choices)),
        }
    }

    /// A list of names, each one of `choices`.
    pub fn choices<T: Copy>(&mut self, key: &str, choices: &[(&str, T)]) -> Option<Vec<T>> {
        let picked = self
            .strings(key)?
            .iter()
            .map(|name| choices.iter().find(|(n, _)| n == name).map(|(_, v)| *v))
            .collect::<Option<Vec<T>>>();
        picked.or_else(|| self.wrong(key, Message::OptionNotChoices, &names(choices)))
    }

    /// The first wrong field's error, if any.
    pub fn checked(&mut self) -> Result<()> {
        match self.error.take() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// The first wrong field's error, else refuses any field nobody read.
    /// Its name is shown (typos are the usual cause) only when it looks like
    /// an option name and holds no secret value read from the same options:
    /// a fuzzer put a stateKey in a key name.
    pub fn finish(mut self) -> Result<()> {
        self.checked()?;
        let Some((key, _)) = self.fields.first() else {
            return Ok(());
        };
        let named = key.len() <= 40
            && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !self
                .secrets
                .iter()
                .any(|s| s.len() >= 4 && key.contains(s.as_str()));
        let message = match named {
            true => Message::OptionUnknown,
            false => Message::OptionUnknownUnnamed,
        };
        Err(message.with(&[&self.what, key]))
    }
}

fn names<T>(choices: &[(&str, T)]) -> String {
    let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
    names.joined(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::ErrorCode;

    #[test]
    fn wrong_types_name_the_field_not_the_value() {
        let mut fields = Fields::parse(r#"{"clientSecret": 918273645}"#, "client options").unwrap();
        assert!(fields.secret("clientSecret").is_none());
        let err = fields.finish().unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidConfig);
        assert!(!err.message().contains("918273645"), "{}", err.message());
        assert!(err.message().contains("clientSecret"));
    }

    #[test]
    fn unknown_names_are_refused_and_null_is_absent() {
        let mut fields =
            Fields::parse(r#"{"a": null, "redirectURI": "x"}"#, "client options").unwrap();
        assert_eq!(fields.string("a"), None);
        let err = fields.finish().unwrap_err();
        assert!(err.message().contains("redirectURI"), "{}", err.message());
    }

    // Found by fuzzing: a secret value used as a key name stays hidden.
    #[test]
    fn unknown_names_never_echo_a_secret() {
        let mut fields = Fields::parse(
            r#"{"stateKey": "hunter2hunter2", "endpoints": {"xhunter2hunter2": 1}}"#,
            "o",
        )
        .unwrap();
        fields.secrets("stateKey").unwrap();
        assert!(fields.nested("endpoints", Fields::finish).is_none());
        let err = fields.finish().unwrap_err();
        assert!(!err.message().contains("hunter2"), "{}", err.message());
        let odd = Fields::parse(r#"{"a key with spaces!": 1}"#, "o")
            .unwrap()
            .finish()
            .unwrap_err();
        assert!(odd.message().contains("not shown"));
    }

    #[test]
    fn numbers_must_be_whole() {
        for bad in ["1.5", "-1", "1e3", "\"60\"", "99999999999999999999"] {
            let mut fields = Fields::parse(&format!(r#"{{"n": {bad}}}"#), "o").unwrap();
            assert!(fields.u64("n").is_none(), "{bad}");
            assert!(fields.finish().is_err(), "{bad}");
        }
    }
}
