//! The JS-facing layer: converts options and results, throws errors. No OAuth
//! logic lives here.

mod client;
mod convert;
mod exchange;
mod fetch;
mod helpers;
mod jwt;
mod token;

pub use client::OAuthClient;
pub use helpers::{error_codes, new_pkce_verifier, pkce_challenge};
pub use jwt::verify_access_token;
