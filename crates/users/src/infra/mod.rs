//! Diesel repository for the `users` Postgres schema. The only place of this
//! module that may use Diesel (RULES R8).

mod profiles;
mod schema;
pub mod seed;

pub use profiles::PgProfiles;

/// The Postgres schema this module owns (RULES R4).
pub const SCHEMA: &str = "users";
