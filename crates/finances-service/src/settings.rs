//! Configuration, loaded like the my-agent API's: built-in defaults < an
//! optional TOML file (`APP_CONFIG_FILE`, default `config/finances-service.toml`)
//! < `DATABASE_URL` and `PORT` < `APP__SECTION__KEY` variables. The only
//! secret-free key material is the public key: this service cannot mint tokens.

use anyhow::Context as _;
use kernel::config::{DatabaseSettings, Environment, LogSettings, ServerSettings};
use serde::Deserialize;
use std::collections::HashMap;

/// Public half of the published development key pair (`crates/api/src/dev_keys.rs`);
/// refused in production.
const DEV_PUBLIC_KEY: &str = "MCowBQYDK2VwAyEAlX1reDVW28L5TqxcZN2iaXxeBDnAT7qh1RqSIhNQm5k=";

const DEFAULT_FILE: &str = "config/finances-service.toml";

/// Every setting of the service.
#[derive(Clone, Debug, Deserialize)]
pub struct ServiceSettings {
    /// `development` or `production`.
    pub environment: Environment,
    /// HTTP server (default port 3334).
    pub server: ServerSettings,
    /// PostgreSQL: the database holding the `finances` schema.
    pub database: DatabaseSettings,
    /// Logging.
    pub log: LogSettings,
    /// Token verification.
    #[serde(default)]
    pub auth: VerifySettings,
}

/// What verifying access tokens needs.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct VerifySettings {
    /// The Ed25519 public key of the issuing my-agent API (PEM, or its base64
    /// body): `APP__AUTH__JWT_PUBLIC_KEY`, the same variable the API reads.
    pub jwt_public_key: Option<String>,
}

impl ServiceSettings {
    /// Loads settings from the process environment.
    pub fn load() -> anyhow::Result<Self> {
        Self::from_vars(std::env::vars().collect())
    }

    /// Loads settings with `vars` standing in for the environment (tests).
    pub fn from_vars(vars: HashMap<String, String>) -> anyhow::Result<Self> {
        let file = vars.get("APP_CONFIG_FILE").cloned();
        let required = file.is_some();
        let file = file.unwrap_or_else(|| DEFAULT_FILE.to_owned());
        let mut app_vars: config::Map<String, String> = vars
            .iter()
            .filter(|(k, _)| k.starts_with("APP__"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (conventional, key) in [
            ("DATABASE_URL", "APP__DATABASE__URL"),
            ("PORT", "APP__SERVER__PORT"),
        ] {
            if let Some(value) = vars.get(conventional) {
                app_vars.entry(key.to_owned()).or_insert(value.clone());
            }
        }
        config::Config::builder()
            .set_default("environment", "development")?
            .set_default("server.host", "127.0.0.1")?
            .set_default("server.port", 3334)?
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
                    .list_separator(",")
                    .with_list_parse_key("server.cors_allowed_origins")
                    .source(Some(app_vars)),
            )
            .build()
            .context("reading configuration")?
            .try_deserialize()
            .context("invalid configuration")
    }

    /// The public key as PEM. Production needs its own; development falls
    /// back to the development pair's public half.
    pub fn public_key_pem(&self) -> anyhow::Result<String> {
        let key = match (&self.auth.jwt_public_key, self.environment) {
            (Some(key), Environment::Production) if key.contains(DEV_PUBLIC_KEY) => {
                anyhow::bail!("production refuses the development JWT public key")
            }
            (Some(key), _) => key.clone(),
            (None, Environment::Development) => DEV_PUBLIC_KEY.to_owned(),
            (None, Environment::Production) => {
                anyhow::bail!("set APP__AUTH__JWT_PUBLIC_KEY (Ed25519, PEM or its base64 body)")
            }
        };
        Ok(to_pem(&key))
    }
}

/// A PEM document from either a full PEM or its bare base64 body.
fn to_pem(value: &str) -> String {
    let value = value.trim();
    if value.contains("-----BEGIN") {
        value.replace("\\n", "\n")
    } else {
        format!("-----BEGIN PUBLIC KEY-----\n{value}\n-----END PUBLIC KEY-----\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(vars: &[(&str, &str)]) -> anyhow::Result<ServiceSettings> {
        ServiceSettings::from_vars(
            vars.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn defaults_and_overrides() {
        let s = load(&[]).unwrap();
        assert_eq!(s.server.port, 3334);
        assert!(s.public_key_pem().unwrap().contains(DEV_PUBLIC_KEY));
        let s = load(&[("PORT", "4000"), ("APP__SERVER__PORT", "5000")]).unwrap();
        assert_eq!(s.server.port, 5000);
    }

    #[test]
    fn production_needs_its_own_public_key() {
        let prod = load(&[("APP__ENVIRONMENT", "production")]).unwrap();
        assert!(prod.public_key_pem().is_err());
        let reused = load(&[
            ("APP__ENVIRONMENT", "production"),
            ("APP__AUTH__JWT_PUBLIC_KEY", DEV_PUBLIC_KEY),
        ])
        .unwrap();
        assert!(reused.public_key_pem().is_err());
    }
}
