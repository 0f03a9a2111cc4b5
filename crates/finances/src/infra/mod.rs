//! Diesel repositories for the `finances` Postgres schema. The only place of this
//! module that may use Diesel (RULES R8).

mod budgets;
mod categories;
pub mod explain;
mod schema;
pub mod seed;
mod transactions;

pub use budgets::PgBudgets;
pub use categories::PgCategories;
pub use transactions::PgTransactions;

/// The Postgres schema this module owns (RULES R4).
pub const SCHEMA: &str = "finances";

/// This module as the owner of `finances.idempotency_keys`.
#[derive(Debug)]
pub struct Schema;

impl kernel::infra::OwningSchema for Schema {
    const NAME: &'static str = SCHEMA;
}

/// `finances.idempotency_keys`: kernel's Idempotency-Key store over this schema.
pub type PgIdempotencyStore = kernel::infra::PgIdempotencyStore<Schema>;

use kernel::RepoError;

/// A stored value the domain refuses: a bug or a hand-edited row.
pub(crate) fn corrupt(what: &str, e: impl std::fmt::Display) -> RepoError {
    RepoError::Other(anyhow::anyhow!("stored {what} is invalid: {e}"))
}
