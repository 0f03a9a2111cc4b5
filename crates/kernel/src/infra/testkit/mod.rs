//! The real-PostgreSQL test harness (feature `testkit`).
//!
//! [`server`] finds a PostgreSQL to test against (`TEST_DATABASE_URL`, a local
//! server, a throwaway cluster from the system's `initdb`, or a `postgres:16`
//! container); [`database`] migrates a template database once per migration
//! set and hands each test its own clone; [`proxy`] sits between the app and
//! the database so a test can cut the database off and bring it back.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::print_stdout)]

pub mod cluster;
pub mod database;
pub mod proxy;
pub mod server;

pub use cluster::Cluster;
pub use database::TestDb;
pub use proxy::TcpProxy;
