//! The dashboard: one call for the home screen, composed from the other
//! modules' use cases. It owns no tables and depends on the modules without
//! their `infra` feature, so it cannot reach a database (RULES R11).

#[cfg(feature = "http")]
pub mod http;

#[cfg(feature = "http")]
pub use http::configure;
