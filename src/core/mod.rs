//! The no-network core: pure functions of (preset, options, time, random
//! bytes). No I/O, no wasm-bindgen types.

pub mod authorize;
pub mod callback;
pub mod client;
pub mod ct;
pub mod dialect;
pub mod encoding;
pub mod error;
pub mod json;
#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
pub mod jwt;
pub mod keys;
pub mod messages;
pub mod names;
pub mod options;
#[cfg(feature = "oracle")]
pub mod oracle;
pub mod pending;
pub mod pkce;
pub mod preset;
pub mod providers;
pub mod random;
// The page build sends no token request and reads no answer.
#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
pub mod request;
// Reads what the provider answered: the page build sends nothing.
#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
pub mod response;
pub mod secret;
#[cfg(feature = "oracle")]
pub mod start_oracle;
pub mod state;
pub mod text;
#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
pub mod token;
pub mod urls;
