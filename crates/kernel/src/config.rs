//! Configuration shapes shared by binaries. Loading (defaults < file < `APP__…`
//! environment) happens in the binary; secrets are `SecretString`s that never print.

use secrecy::SecretString;
use serde::Deserialize;

/// Where the process runs. Production refuses development shortcuts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    /// Local work: pretty logs, migrations at start allowed, development keys allowed.
    #[default]
    Development,
    /// Anything real.
    Production,
}

/// HTTP server settings.
#[derive(Clone, Debug, Deserialize)]
pub struct ServerSettings {
    /// Interface to bind (`0.0.0.0` in a container).
    pub host: String,
    /// TCP port (the API's is 3333).
    pub port: u16,
    /// Worker threads; 0 means one per core.
    pub workers: usize,
    /// Seconds in-flight requests get to finish after SIGTERM/SIGINT.
    pub shutdown_timeout_secs: u64,
    /// Largest JSON body accepted, in bytes.
    pub json_limit_bytes: usize,
    /// Browser origins allowed by CORS (`https://app.example.com`); empty: no CORS.
    #[serde(default)]
    pub cors_allowed_origins: Vec<String>,
}

/// Database settings.
#[derive(Clone, Debug, Deserialize)]
pub struct DatabaseSettings {
    /// `postgres://user:password@host:port/db`; never logged.
    pub url: SecretString,
    /// Connections in the pool.
    pub pool_size: usize,
    /// Milliseconds to wait for a free connection or a new one before answering 503.
    pub acquire_timeout_ms: u64,
    /// Apply pending migrations when `serve` starts (development convenience).
    pub migrate_on_start: bool,
}

/// Log output format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One JSON object per line (production).
    Json,
    /// Human-readable lines (development).
    #[default]
    Pretty,
}

/// Logging settings.
#[derive(Clone, Debug, Deserialize)]
pub struct LogSettings {
    /// `json` or `pretty`.
    pub format: LogFormat,
    /// An `EnvFilter` directive such as `info,my_agent=debug`; `RUST_LOG` wins when set.
    pub filter: String,
}
