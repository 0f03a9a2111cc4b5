//! Entities and value objects of the `auth` module: pure, no I/O.

mod access_token;
mod common_passwords;
mod credential;
pub mod email;
pub mod password;
pub mod plain_password;
mod secrets;
mod session;

pub use access_token::{AccessClaims, MAX_TOKEN_NAME, PersonalAccessToken, TokenName};
pub use credential::Credential;
pub use email::{Email, EmailError};
pub use password::{Password, PasswordError};
pub use plain_password::{PlainPassword, PlainPasswordError};
pub use secrets::{PatSecret, RefreshToken};
pub use session::Session;
