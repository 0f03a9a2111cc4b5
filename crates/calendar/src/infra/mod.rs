//! Diesel repositories for the `calendar` Postgres schema. The only place of this
//! module that may use Diesel (RULES R8).

mod events;
mod feed_tokens;
mod schema;

pub use events::PgEvents;
pub use feed_tokens::PgFeedTokens;

/// The Postgres schema this module owns (RULES R4).
pub const SCHEMA: &str = "calendar";
