//! Database plumbing shared by every module's infra layer: the pool, a
//! connection handle that can join a caller's transaction, the mapping of
//! driver errors into [`RepoError`](crate::RepoError), and the embedded
//! migrations. The only place of `kernel` that uses Diesel.

pub mod db;
pub mod migrations;
#[cfg(feature = "testkit")]
pub mod testkit;

pub use db::{Db, DbConn, DbPool, PoolOptions, build_pool, pool_status};
