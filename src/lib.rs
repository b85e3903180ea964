//! iamlite: a faithful, fast, in-process stand-in for AWS IAM virtual MFA devices.
//!
//! The core (everything but `python`) knows nothing of Python; `cargo test --no-default-features`
//! covers it alone.

// Input must never reach a panic: outside tests, clippy refuses unwrap, expect and panic!.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod account;
pub mod arn;
pub mod error;
pub mod model;
pub mod otpauth;
pub mod qr;
pub mod shapes;
pub mod state;
pub mod totp;
pub mod validate;

#[cfg(feature = "python")]
mod python;

pub use account::{Account, AccountConfig, Entropy, Quotas};
pub use error::{ErrorKind, IamError, IamResult};
