//! Use cases of the `auth` module and the ports (repository traits) they need.
//! [`AuthService`] holds the ports; its use cases are split by subject.

mod account;
mod directory;
mod personal_tokens;
pub mod ports;
mod service;
mod sessions;
mod user_data;
mod verify;

pub use account::Registration;
pub use directory::AccountDirectory;
pub use personal_tokens::{CreatedPat, NewPatRequest};
pub use ports::CreatedKey;
pub use ports::{
    AccessTokenCodec, CredentialRepo, NewAccountHook, NewCredential, NewPat, NewSession,
    PasswordHasher, PatRepo, ProfileClaims, ProfileDraft, SessionRepo,
};
pub use service::{AuthDeps, AuthLimits, AuthPolicy, AuthService, ClientInfo, TokenPair};
