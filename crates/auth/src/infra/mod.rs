//! Diesel repositories for the `auth` Postgres schema. The only place of this
//! module that may use Diesel (RULES R8).

/// The Postgres schema this module owns (RULES R4).
pub const SCHEMA: &str = "auth";
