//! Diesel repositories for the `reminders` Postgres schema. The only place of this
//! module that may use Diesel (RULES R8).

pub mod explain;
mod reminders;
mod schema;

pub use reminders::{PgReminders, PlanQuery};

/// The Postgres schema this module owns (RULES R4).
pub const SCHEMA: &str = "reminders";
