//! Configuration: built-in defaults < an optional TOML file (`APP_CONFIG_FILE`,
//! default `config/my-agent.toml`) < the conventional `DATABASE_URL` and `PORT`
//! < `APP__SECTION__KEY` environment variables (`APP__DATABASE__POOL_SIZE=16`).

use anyhow::Context as _;
use kernel::config::{DatabaseSettings, Environment, LogSettings, ServerSettings};
use serde::Deserialize;
use std::collections::HashMap;

/// Every setting of the binary.
#[derive(Clone, Debug, Deserialize)]
pub struct Settings {
    /// `development` or `production`.
    pub environment: Environment,
    /// HTTP server.
    pub server: ServerSettings,
    /// PostgreSQL.
    pub database: DatabaseSettings,
    /// Logging.
    pub log: LogSettings,
}

const DEFAULT_FILE: &str = "config/my-agent.toml";

impl Settings {
    /// Loads settings from the process environment.
    pub fn load() -> anyhow::Result<Self> {
        Self::from_vars(std::env::vars().collect())
    }

    /// Loads settings with `vars` standing in for the environment (tests).
    pub fn from_vars(vars: HashMap<String, String>) -> anyhow::Result<Self> {
        let lookup = |key: &str| vars.get(key).cloned();
        let file = lookup("APP_CONFIG_FILE");
        let required = file.is_some();
        let file = file.unwrap_or_else(|| DEFAULT_FILE.to_owned());
        let mut app_vars: config::Map<String, String> = vars
            .iter()
            .filter(|(k, _)| k.starts_with("APP__"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        // The conventional names count unless the APP__ spelling is also set.
        for (conventional, key) in [
            ("DATABASE_URL", "APP__DATABASE__URL"),
            ("PORT", "APP__SERVER__PORT"),
        ] {
            if let Some(value) = lookup(conventional) {
                app_vars.entry(key.to_owned()).or_insert(value);
            }
        }
        let builder = config::Config::builder()
            .set_default("environment", "development")?
            .set_default("server.host", "127.0.0.1")?
            .set_default("server.port", 3333)?
            .set_default("server.workers", 0)?
            .set_default("server.shutdown_timeout_secs", 10)?
            .set_default("server.json_limit_bytes", 1024 * 1024)?
            .set_default(
                "database.url",
                "postgres://my_agent:my_agent@127.0.0.1:5432/my_agent",
            )?
            .set_default("database.pool_size", 10)?
            .set_default("database.acquire_timeout_ms", 2000)?
            .set_default("database.migrate_on_start", false)?
            .set_default("log.format", "pretty")?
            .set_default("log.filter", "info")?
            .add_source(config::File::with_name(&file).required(required))
            .add_source(
                config::Environment::with_prefix("APP")
                    .prefix_separator("__")
                    .separator("__")
                    .try_parsing(true)
                    .source(Some(app_vars)),
            );
        let settings: Self = builder
            .build()
            .context("reading configuration")?
            .try_deserialize()
            .context("invalid configuration")?;
        settings.check()?;
        Ok(settings)
    }

    fn check(&self) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.database.pool_size > 0,
            "database.pool_size must be at least 1"
        );
        anyhow::ensure!(
            self.server.json_limit_bytes > 0,
            "server.json_limit_bytes must be positive"
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret as _;

    fn load(vars: &[(&str, &str)]) -> anyhow::Result<Settings> {
        Settings::from_vars(
            vars.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn defaults_apply() {
        let s = load(&[]).unwrap();
        assert_eq!(s.server.port, 3333);
        assert_eq!(s.environment, Environment::Development);
        assert_eq!(s.database.pool_size, 10);
    }

    #[test]
    fn conventional_variables_override_defaults() {
        let s = load(&[("DATABASE_URL", "postgres://x@db/y"), ("PORT", "4000")]).unwrap();
        assert_eq!(s.database.url.expose_secret(), "postgres://x@db/y");
        assert_eq!(s.server.port, 4000);
    }

    #[test]
    fn secrets_never_print() {
        let s = load(&[("DATABASE_URL", "postgres://u:hunter2@db/y")]).unwrap();
        assert!(!format!("{s:?}").contains("hunter2"));
    }

    #[test]
    fn app_variables_win() {
        let s = load(&[
            ("PORT", "4000"),
            ("APP__SERVER__PORT", "5000"),
            ("APP__DATABASE__POOL_SIZE", "3"),
        ])
        .unwrap();
        assert_eq!(s.server.port, 5000);
        assert_eq!(s.database.pool_size, 3);
    }

    #[test]
    fn a_named_file_must_exist() {
        assert!(load(&[("APP_CONFIG_FILE", "/nonexistent/my-agent.toml")]).is_err());
    }
}
