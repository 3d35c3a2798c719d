//! How a provider writes its answers: the vocabulary of `Preset::response`.
//! `Dialect::RFC6749` reads RFC 6749 §5.1/§5.2, RFC 7662 §2.2 and RFC 6750
//! §3 as written; every way a provider departs from them is a field here,
//! set in that provider's file, so one provider's habit never applies to
//! another's answers.

use crate::core::error::ErrorCode;
use crate::core::json::Json;

/// A JSON object's fields, in order.
pub type Object = [(String, Json)];

/// How a provider's answers read (`Preset::response`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dialect {
    /// How field names are matched.
    pub field_casing: FieldCasing,
    /// What an `expires_in` number means.
    pub expires_in: ExpiresIn,
    /// How a `scope` string in an answer is split (RFC 6749 §3.3: spaces).
    pub scopes: ScopeList,
    /// An API error envelope besides RFC 6749 §5.2 and RFC 6750 §3 (both
    /// always read).
    pub error_list: Option<ErrorList>,
    /// The introspection field naming the company (account) a token belongs
    /// to: the result's `company`, which a token keeps across refreshes.
    pub company_field: Option<&'static str>,
    /// A known answer that is not an OAuth token, refused with its own
    /// message rather than a bare "no access_token".
    pub not_a_token: Option<NotAToken>,
}

/// How field names are matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldCasing {
    /// As RFC 6749 spells them.
    Exact,
    /// The exact name first, else any ASCII casing of it.
    AnyAscii,
}

/// What an `expires_in` number means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpiresIn {
    /// Seconds from now (RFC 6749 §5.1).
    Seconds,
    /// Seconds, or an epoch time when it plainly is one: at or above
    /// `EPOCH_THRESHOLD` (10⁹ s is 31 years, no token's lifetime, and
    /// 2001-09-09 as a date).
    SecondsOrEpoch,
}

/// An `expires_in` at or above this is an epoch time under
/// `ExpiresIn::SecondsOrEpoch`.
pub const EPOCH_THRESHOLD: u64 = 1_000_000_000;

/// How a granted `scope` string is split (a JSON list is always read too).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeList {
    /// On whitespace (RFC 6749 §3.3).
    Spaces,
    /// On whitespace or commas.
    SpacesOrCommas,
}

/// An error envelope that is a list of objects, the first one read:
/// `{"<list>": [{"<code>": "...", "<message>": "..."}]}`. Its names are
/// matched with the dialect's `field_casing`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorList {
    /// The key of the list.
    pub list: &'static str,
    /// The key of an entry's code.
    pub code: &'static str,
    /// The key of an entry's message.
    pub message: &'static str,
    /// The provider's codes mapped to ours; others are `http_error`, the
    /// provider's code kept.
    pub codes: &'static [(&'static str, ErrorCode)],
    /// The envelope can come with any status, a 2xx included: the body of
    /// a successful API answer is read too.
    pub any_status: bool,
}

/// A field that marks an answer as some other kind of credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotAToken {
    /// A field only that other kind of answer has.
    pub field: &'static str,
    /// The `invalid_response` message (static: no body text in it).
    pub message: &'static str,
}

impl Dialect {
    /// The RFCs as written, except that an `expires_in` that is plainly an
    /// epoch time is read as one: PROVIDERS.md's rule for every preset, and
    /// never wrong (no token lives 10⁹ s), while reading it as seconds makes
    /// a token look valid for decades. `ExpiresIn::Seconds` is the strict
    /// reading, for a preset that wants it.
    pub const RFC6749: Dialect = Dialect {
        field_casing: FieldCasing::Exact,
        expires_in: ExpiresIn::SecondsOrEpoch,
        scopes: ScopeList::Spaces,
        error_list: None,
        company_field: None,
        not_a_token: None,
    };

    /// A field by name, matched as the dialect says.
    pub fn field<'a>(&self, body: &'a Object, name: &str) -> Option<&'a Json> {
        let exact = body.iter().find(|(k, _)| k == name);
        let any = || match self.field_casing {
            FieldCasing::Exact => None,
            FieldCasing::AnyAscii => body.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)),
        };
        exact.or_else(any).map(|(_, v)| v)
    }

    /// Whether `key` is read as `name`.
    pub fn names(&self, key: &str, name: &str) -> bool {
        match self.field_casing {
            FieldCasing::Exact => key == name,
            FieldCasing::AnyAscii => key.eq_ignore_ascii_case(name),
        }
    }
}
