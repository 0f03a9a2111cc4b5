//! Diesel repositories for the `reminders` Postgres schema. The only place of this
//! module that may use Diesel (RULES R8).

mod reminders;
mod schema;
pub mod seed;

pub use reminders::{PgReminders, PlanQuery};

/// The Postgres schema this module owns (RULES R4).
pub const SCHEMA: &str = "reminders";

/// This module as the owner of `reminders.idempotency_keys`.
#[derive(Debug)]
pub struct Schema;

impl kernel::infra::OwningSchema for Schema {
    const NAME: &'static str = SCHEMA;
}

/// `reminders.idempotency_keys`: kernel's Idempotency-Key store over this schema.
pub type PgIdempotencyStore = kernel::infra::PgIdempotencyStore<Schema>;
