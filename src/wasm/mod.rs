//! The JS-facing layer: converts options and results, throws errors. No OAuth
//! logic lives here.
//!
//! Without the default `server` feature this is the *page build*: starting
//! flows and parsing callbacks only (no exchanges, token parsing or JWT
//! verification), 40 KB of wasm gzip instead of 70 KB, for pages whose
//! server does the exchanges.

mod client;
mod convert;
#[cfg(feature = "server")]
mod exchange;
#[cfg(feature = "server")]
mod fetch;
mod helpers;
#[cfg(feature = "server")]
mod jwt;
#[cfg(feature = "server")]
mod token;

pub use client::OAuthClient;
pub use helpers::{error_codes, new_pkce_verifier, pkce_challenge};
#[cfg(feature = "server")]
pub use jwt::verify_access_token;
