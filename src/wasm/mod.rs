//! The JS-facing layer: converts options and results, throws errors. No OAuth
//! logic lives here.

mod client;
mod convert;
mod helpers;

pub use client::OAuthClient;
