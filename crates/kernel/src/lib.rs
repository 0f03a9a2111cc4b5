//! Shared building blocks of my-agent. Nothing here knows about finances,
//! reminders or any other business: ids, the error type every module error
//! converts into, keyset cursors, the authenticated-user interface, the clock,
//! configuration structs, and (behind features) the HTTP plumbing, the database
//! pool and the real-PostgreSQL test harness.

#[cfg(feature = "jwt")]
pub mod access_token;
pub mod auth;
pub mod clock;
pub mod config;
pub mod error;
pub mod idempotency;
pub mod ids;
pub mod pagination;
pub mod precondition;
pub mod rate_limit;
pub mod token_cache;
pub mod tx;
pub mod user_data;

#[cfg(feature = "http")]
pub mod http;

#[cfg(feature = "infra")]
pub mod infra;

pub use auth::{AuthUser, Scope};
pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{ApiError, FieldError, RepoError};
pub use ids::UserId;
pub use pagination::{Cursor, Page, PageRequest};
pub use tx::{Transactor, Tx, transaction};
