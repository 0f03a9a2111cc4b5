//! The dashboard: one call for the home screen, composed from the other
//! modules' use cases. It owns no tables and depends on the modules without
//! their `infra` feature, so it cannot reach a database (RULES R11).
//!
//! Each part (finances, reminders, calendar) comes through a port of its own
//! and is fetched concurrently under a deadline; a part that fails or is late
//! is reported `unavailable` while the others are still served.

pub mod application;
pub mod domain;
#[cfg(feature = "http")]
pub mod http;
pub mod sources;

#[cfg(feature = "http")]
pub use http::configure;
