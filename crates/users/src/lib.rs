//! The `users` module of my-agent: Profiles and preferences (schema users).
//!
//! Layers: `domain` (pure types) ← `application` (use cases and the ports
//! they need) ← `infra` (Diesel repositories, feature `infra`) and `http`
//! (actix handlers and OpenAPI, feature `http`). Other modules may use the
//! first two only.

pub mod application;
pub mod domain;
#[cfg(feature = "http")]
pub mod http;
#[cfg(feature = "infra")]
pub mod infra;

#[cfg(feature = "http")]
pub use http::configure;
