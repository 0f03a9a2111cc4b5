//! Adapters of the `auth` module: Diesel repositories for the `auth` schema,
//! Argon2id hashing off the async runtime, and EdDSA JWTs. The only place of
//! this module that may use Diesel (RULES R8).

mod credentials;
pub mod hasher;
pub mod jwt;
mod pats;
mod schema;
pub mod seed;
mod sessions;

pub use credentials::PgCredentials;
pub use hasher::{Argon2Hasher, HashParams};
pub use jwt::{JwtCodec, JwtKeys};
pub use pats::PgPats;
pub use sessions::PgSessions;

/// The Postgres schema this module owns (RULES R4).
pub const SCHEMA: &str = "auth";

use kernel::RepoError;

/// Maps a Diesel error into a repository error.
pub(crate) fn db_err(err: diesel::result::Error) -> RepoError {
    RepoError::from(err)
}
