//! The `finances` module of my-agent: transactions, categories, budgets,
//! summaries and CSV import/export (schema `finances`).
//!
//! Layers: `domain` (pure types) ← `application` (use cases and the ports
//! they need) ← `infra` (Diesel repositories, feature `infra`) and `http`
//! (actix handlers and OpenAPI, feature `http`). Other modules may use the
//! first two only.
//!
//! Idempotency-Key on POST creates is kernel's (`kernel::idempotency`), over
//! this module's `finances.idempotency_keys`.

pub mod application;
pub mod domain;
#[cfg(feature = "http")]
pub mod http;
#[cfg(feature = "infra")]
pub mod infra;

#[cfg(feature = "http")]
pub use http::configure;
