//! Diesel repositories for the `calendar` Postgres schema. The only place of this
//! module that may use Diesel (RULES R8).

mod events;
mod feed_tokens;
mod schema;
pub mod seed;

pub use events::PgEvents;
pub use feed_tokens::PgFeedTokens;

/// The Postgres schema this module owns (RULES R4).
pub const SCHEMA: &str = "calendar";

/// This module as the owner of `calendar.idempotency_keys`.
#[derive(Debug)]
pub struct Schema;

impl kernel::infra::OwningSchema for Schema {
    const NAME: &'static str = SCHEMA;
}

/// `calendar.idempotency_keys`: kernel's Idempotency-Key store over this schema.
pub type PgIdempotencyStore = kernel::infra::PgIdempotencyStore<Schema>;
