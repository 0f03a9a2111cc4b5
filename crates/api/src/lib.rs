//! The my-agent binary's library half: settings, telemetry, and the actix
//! app composed from every module. Kept as a library so integration tests
//! (and other binaries serving a subset of modules) build the same app.

pub mod account;
pub mod app;
pub mod cli;
mod dev_keys;
pub mod openapi;
pub mod seed;
pub mod settings;
pub mod telemetry;
pub mod wiring;

pub use app::{AppContext, build_app};
pub use settings::Settings;
