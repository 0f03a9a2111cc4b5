//! Diesel repositories for the `finances` Postgres schema. The only place of this
//! module that may use Diesel (RULES R8).

mod budgets;
mod categories;
pub mod explain;
mod idempotency;
mod schema;
mod transactions;

pub use budgets::PgBudgets;
pub use categories::PgCategories;
pub use idempotency::PgIdempotencyStore;
pub use transactions::PgTransactions;

/// The Postgres schema this module owns (RULES R4).
pub const SCHEMA: &str = "finances";

use kernel::RepoError;

/// A stored value the domain refuses: a bug or a hand-edited row.
pub(crate) fn corrupt(what: &str, e: impl std::fmt::Display) -> RepoError {
    RepoError::Other(anyhow::anyhow!("stored {what} is invalid: {e}"))
}
