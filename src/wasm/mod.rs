//! The JS-facing layer: converts options and results, throws errors. No OAuth
//! logic lives here, and no I/O: every export is synchronous. Requests are
//! sent, and WebCrypto is called, by the package's JS layer
//! (pkg-template/io.js).
//!
//! Without the default `server` feature this is the *page build*: starting
//! flows and parsing callbacks only (no exchanges, token parsing or JWT
//! verification), 25 KB of wasm gzip instead of 62 KB, for pages whose
//! server does the exchanges. Its exports are raw (`raw`, bound by the
//! hand-written raw.js) instead of wasm-bindgen's, which the full build
//! keeps.

#[cfg(feature = "server")]
mod client;
#[cfg(feature = "server")]
mod convert;
#[cfg(feature = "server")]
mod exchange;
#[cfg(feature = "server")]
mod helpers;
#[cfg(feature = "jwt")]
mod jwt;
pub(crate) mod raw;
mod record;
#[cfg(feature = "server")]
mod token;

#[cfg(feature = "server")]
pub use client::OAuthClient;
#[cfg(feature = "server")]
pub use exchange::Exchange;
#[cfg(feature = "server")]
pub use helpers::{new_pkce_verifier, pkce_challenge, providers};
#[cfg(feature = "jwt")]
pub use jwt::JwtCheck;
