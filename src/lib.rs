//! partner-oauth: OAuth 2.0 for PayFit, Payout, Factorial, TropiPay and
//! Billit. `core` computes everything and does no I/O; `wasm` exposes it to
//! JavaScript.
//!
//! From Rust: build a [`Client`] from [`ClientOptions`], send the user to
//! the URL [`Client::start_authorization`] returns (RFC 6749 §4.1.1), read
//! the redirect back with [`Client::parse_callback`] (§4.1.2), then send the
//! [`HttpRequest`] from [`Client::code_request`] (§4.1.3) with your own HTTP
//! stack and hand the answer back to the client to read the token (§5.1).
//! Time and randomness ([`Entropy`]) are arguments, so every step is a pure
//! function of its inputs.

#![warn(missing_docs)]
// The full wasm build (scripts/build-wasm.sh) sets this cfg: hot callback code
// optimized for speed in a crate built for size.
#![cfg_attr(partner_oauth_nightly, feature(optimize_attribute))]
// The page build's raw exports (src/wasm/raw.rs) are the one place allowed
// `unsafe`: pointers the hand-written glue passes.
#![deny(unsafe_code)]
// A panic aborts the wasm instance (in a Worker, the isolate): library code
// returns typed errors instead.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]

pub mod core;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use crate::core::authorize::{StartOptions, Started};
pub use crate::core::callback::Callback;
pub use crate::core::client::{Client, ClientOptions};
pub use crate::core::error::{Error, ErrorCode, Result};
pub use crate::core::random::Entropy;
#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
pub use crate::core::request::HttpRequest;
#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
pub use crate::core::response::HttpResponse;
pub use crate::core::secret::Secret;
#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
pub use crate::core::token::{Expiry, Introspection, Token};

// The README's Rust example, compiled and run by `cargo test --doc`.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
