//! Options arrive as JSON-shaped data (from JS, or from a Rust caller's
//! config). Parsing is strict — an unknown or misspelt name is an error, not
//! silently ignored — and the error never echoes a value, which may be a
//! secret.

use crate::core::error::{Error, ErrorCode, Result};
use serde::de::DeserializeOwned;

pub fn from_json<T: DeserializeOwned>(value: serde_json::Value, what: &str) -> Result<T> {
    serde_json::from_value(value).map_err(|e| {
        Error::new(
            ErrorCode::InvalidConfig,
            format!("{what}: {}", without_values(&e.to_string())),
        )
    })
}

/// serde writes `invalid type: string "hunter2", expected u64`: keep the
/// kind of mistake and what was expected, drop the value.
fn without_values(message: &str) -> String {
    match (message.split_once(':'), message.find(", expected")) {
        (Some((kind, _)), Some(at)) if kind.starts_with("invalid") => {
            format!("{kind}{}", message.get(at..).unwrap_or_default())
        }
        _ => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::client::ClientOptions;
    use serde_json::json;

    #[test]
    fn wrong_types_do_not_echo_the_value() {
        let bad = json!({"provider": "billit", "clientId": "c", "clientSecret": 918273645});
        let err = from_json::<ClientOptions>(bad, "client options").unwrap_err();
        assert!(!err.message().contains("918273645"), "{}", err.message());
        assert!(err.message().contains("expected"), "{}", err.message());
    }

    #[test]
    fn unknown_names_are_refused() {
        let typo = json!({"provider": "billit", "clientId": "c", "redirectURI": "x"});
        let err = from_json::<ClientOptions>(typo, "client options").unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidConfig);
        assert!(err.message().contains("redirectURI"), "{}", err.message());
    }
}
