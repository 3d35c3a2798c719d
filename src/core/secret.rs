//! A string that must never be printed: client secrets, codes, verifiers,
//! tokens, keys. It has no `Display`, its `Debug` is a redaction, and it does
//! not implement `PartialEq` (comparing secrets with `==` leaks timing).

use std::fmt;

/// A secret string: no `Display`, a redacted `Debug`, no `==`.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// Wraps `value`; from here on it prints as `Secret([redacted])`.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Constant-time equality (for secrets of equal length).
    pub fn ct_eq(&self, other: &str) -> bool {
        crate::core::ct::eq(self.0.as_bytes(), other.as_bytes())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}
