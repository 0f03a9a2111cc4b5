//! Database plumbing shared by every module's infra layer: the pool, a
//! connection handle that can join a caller's transaction, the mapping of
//! driver errors into [`RepoError`](crate::RepoError), and the embedded
//! migrations. The only place of `kernel` that uses Diesel.

pub mod db;
pub mod explain;
pub mod idempotency;
pub mod migrations;
pub mod rate_limit;
pub mod read_pool;
#[cfg(feature = "testkit")]
pub mod testkit;
pub mod tx;

#[cfg(feature = "http")]
pub use db::pool_status;
pub use db::{Db, DbConn, DbPool, PoolOptions, build_pool};
pub use explain::Explain;
pub use idempotency::{OwningSchema, PgIdempotencyStore};
pub use rate_limit::InProcessRateLimiter;
pub use read_pool::ReadPool;
pub use tx::{PgTransactor, tx_conn};
