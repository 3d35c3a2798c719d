//! Options arrive as JSON (from JS through `JSON.stringify`, or from a Rust
//! caller's config). Reading is strict: each field has one type, `null`
//! means "not given" (as JS `undefined` does), and a name nobody reads is an
//! error, so a typo cannot pass silently. Messages name fields, never values:
//! a value may be a secret.

use crate::core::error::{fail, ErrorCode, Result};
use crate::core::json::{self, Json};
use crate::core::secret::Secret;

pub struct Fields {
    what: String,
    fields: Vec<(String, Json)>,
    /// Secret values read so far (here or in a parent), never to be echoed.
    secrets: Vec<String>,
}

impl Fields {
    /// JSON text that must be an object.
    pub fn parse(text: &str, what: &str) -> Result<Fields> {
        match json::parse(text) {
            Some(value) => Fields::new(value, what),
            None => fail(
                ErrorCode::InvalidConfig,
                [what, " must be a JSON object"].concat(),
            ),
        }
    }

    pub fn new(value: Json, what: &str) -> Result<Fields> {
        match value {
            Json::Object(fields) => Ok(Fields {
                what: what.to_owned(),
                fields,
                secrets: Vec::new(),
            }),
            _ => fail(
                ErrorCode::InvalidConfig,
                [what, " must be an object"].concat(),
            ),
        }
    }

    /// Removes `key`; `null` counts as absent.
    fn take(&mut self, key: &str) -> Option<Json> {
        let at = self.fields.iter().position(|(k, _)| k == key)?;
        let (_, value) = self.fields.swap_remove(at);
        (!value.is_null()).then_some(value)
    }

    fn wrong<T>(&self, key: &str, expected: &str) -> Result<T> {
        fail(
            ErrorCode::InvalidConfig,
            [&self.what, ".", key, " must be ", expected].concat(),
        )
    }

    pub fn string(&mut self, key: &str) -> Result<Option<String>> {
        match self.take(key) {
            None => Ok(None),
            Some(Json::String(s)) => Ok(Some(s)),
            Some(_) => self.wrong(key, "a string"),
        }
    }

    pub fn required_string(&mut self, key: &str) -> Result<String> {
        match self.string(key)? {
            Some(s) => Ok(s),
            None => fail(
                ErrorCode::InvalidConfig,
                [&self.what, ".", key, " is required"].concat(),
            ),
        }
    }

    pub fn secret(&mut self, key: &str) -> Result<Option<Secret>> {
        let value = self.string(key)?;
        self.secrets.extend(value.iter().cloned());
        Ok(value.map(Secret::new))
    }

    pub fn bool(&mut self, key: &str) -> Result<Option<bool>> {
        match self.take(key) {
            None => Ok(None),
            Some(Json::Bool(b)) => Ok(Some(b)),
            Some(_) => self.wrong(key, "true or false"),
        }
    }

    /// A whole, non-negative number.
    pub fn u64(&mut self, key: &str) -> Result<Option<u64>> {
        match self.take(key) {
            None => Ok(None),
            Some(Json::Number(n)) if n.bytes().all(|b| b.is_ascii_digit()) => match n.parse() {
                Ok(v) => Ok(Some(v)),
                Err(_) => self.wrong(key, "a whole number in range"),
            },
            Some(_) => self.wrong(key, "a whole, non-negative number"),
        }
    }

    pub fn strings(&mut self, key: &str) -> Result<Option<Vec<String>>> {
        match self.take(key) {
            None => Ok(None),
            Some(Json::Array(items)) => match items
                .into_iter()
                .map(|v| match v {
                    Json::String(s) => Some(s),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()
            {
                Some(list) => Ok(Some(list)),
                None => self.wrong(key, "a list of strings"),
            },
            Some(_) => self.wrong(key, "a list of strings"),
        }
    }

    /// Any JSON value, as is.
    pub fn json(&mut self, key: &str) -> Option<Json> {
        self.take(key)
    }

    /// A non-negative number's integer part (times from `Date.now()`).
    pub fn integer(&mut self, key: &str) -> Result<Option<u64>> {
        match self.take(key) {
            None => Ok(None),
            Some(n @ Json::Number(_)) => match n.as_u64() {
                Some(v) => Ok(Some(v)),
                None => self.wrong(key, "a non-negative number"),
            },
            Some(_) => self.wrong(key, "a number"),
        }
    }

    /// A string or a list of strings, as secrets (`stateKey`).
    pub fn secrets(&mut self, key: &str) -> Result<Option<Vec<Secret>>> {
        let list = match self.take(key) {
            None => None,
            Some(Json::String(s)) => Some(vec![s]),
            Some(other) => {
                self.fields.push((key.to_owned(), other));
                self.strings(key)?
            }
        };
        self.secrets.extend(list.iter().flatten().cloned());
        Ok(list.map(|list| list.into_iter().map(Secret::new).collect()))
    }

    /// An object of strings, in its order (the JSON reader refused
    /// duplicate names already).
    pub fn string_map(&mut self, key: &str) -> Result<Option<Vec<(String, String)>>> {
        let Some(value) = self.take(key) else {
            return Ok(None);
        };
        let mut map = Vec::new();
        let Json::Object(fields) = value else {
            return self.wrong(key, "an object of strings");
        };
        for (k, v) in fields {
            let Json::String(v) = v else {
                return self.wrong(key, "an object of strings");
            };
            map.push((k, v));
        }
        Ok(Some(map))
    }

    /// A nested object; it inherits the secret values read so far.
    pub fn object(&mut self, key: &str) -> Result<Option<Fields>> {
        let what = [&self.what, ".", key].concat();
        let secrets = self.secrets.clone();
        let nested = self
            .take(key)
            .map(|value| Fields::new(value, &what))
            .transpose()?;
        Ok(nested.map(|f| Fields { secrets, ..f }))
    }

    /// One of `choices`, by name.
    pub fn choice<T: Copy>(&mut self, key: &str, choices: &[(&str, T)]) -> Result<Option<T>> {
        match self.string(key)? {
            None => Ok(None),
            Some(name) => match choices.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => Ok(Some(*value)),
                None => {
                    let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
                    self.wrong(key, &["one of: ", &names.join(", ")].concat())
                }
            },
        }
    }

    pub fn choices<T: Copy>(&mut self, key: &str, choices: &[(&str, T)]) -> Result<Option<Vec<T>>> {
        let Some(names) = self.strings(key)? else {
            return Ok(None);
        };
        let mut out = Vec::new();
        for name in names {
            match choices.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => out.push(*value),
                None => {
                    let known: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
                    return self.wrong(key, &["a list of: ", &known.join(", ")].concat());
                }
            }
        }
        Ok(Some(out))
    }

    /// Refuses any field nobody read. Its name is shown (typos are the
    /// usual cause) only when it looks like an option name and holds no
    /// secret value read from the same options: a fuzzer put a stateKey in
    /// a key name.
    pub fn finish(self) -> Result<()> {
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
            true => [&self.what, ": unknown option \"", key, "\""].concat(),
            false => [&self.what, ": an unknown option (its name is not shown)"].concat(),
        };
        fail(ErrorCode::InvalidConfig, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_types_name_the_field_not_the_value() {
        let mut fields = Fields::parse(r#"{"clientSecret": 918273645}"#, "client options").unwrap();
        let err = fields.secret("clientSecret").unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidConfig);
        assert!(!err.message().contains("918273645"), "{}", err.message());
        assert!(err.message().contains("clientSecret"));
    }

    #[test]
    fn unknown_names_are_refused_and_null_is_absent() {
        let mut fields =
            Fields::parse(r#"{"a": null, "redirectURI": "x"}"#, "client options").unwrap();
        assert_eq!(fields.string("a").unwrap(), None);
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
        let endpoints = fields.object("endpoints").unwrap().unwrap();
        let err = endpoints.finish().unwrap_err();
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
            assert!(fields.u64("n").is_err(), "{bad}");
        }
    }
}
