//! partner-oauth: OAuth 2.0 for PayFit, Payout, Factorial, TropiPay and
//! Billit. `core` computes everything and does no I/O; `wasm` exposes it to
//! JavaScript.

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
pub use crate::core::request::HttpRequest;
pub use crate::core::response::HttpResponse;
pub use crate::core::secret::Secret;
pub use crate::core::token::{Expiry, Introspection, Token};

// The README's Rust example, compiled and run by `cargo test --doc`.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
