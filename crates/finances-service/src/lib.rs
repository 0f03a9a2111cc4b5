//! The finances module served on its own (issue 10, RULES R12/R13): its routes
//! under `/api/v1/finances`, its schema's migrations, `/health`, `/ready`,
//! `/metrics` and `/api/v1/openapi.json`, with access tokens verified by the
//! Ed25519 public key alone. No other module is linked in; the caller's id and
//! scope come from the token, the user's time zone from its `tz` claim.
//! See `docs/EXTRACTING_A_MODULE.md`.

pub mod app;
pub mod cli;
pub mod migrations;
pub mod openapi;
pub mod request_claims;
pub mod settings;
pub mod token;

pub use app::{ServiceContext, build_app};
pub use settings::ServiceSettings;
pub use token::PublicKeyVerifier;
