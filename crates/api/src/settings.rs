//! Configuration: built-in defaults < an optional TOML file (`APP_CONFIG_FILE`,
//! default `config/my-agent.toml`) < the conventional `DATABASE_URL` and `PORT`
//! < `APP__SECTION__KEY` environment variables (`APP__DATABASE__POOL_SIZE=16`).

use anyhow::Context as _;
use kernel::config::{DatabaseSettings, Environment, LogSettings, ServerSettings};
use secrecy::SecretString;
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
    /// Credentials, tokens and their limits.
    pub auth: AuthSettings,
    /// `database.read_url` (`DATABASE_READ_URL`): a streaming replica for list,
    /// summary, range, export and dashboard reads; `None` reads from the primary.
    #[serde(skip)]
    pub database_read_url: Option<SecretString>,
}

/// Settings of the auth module.
#[derive(Clone, Debug, Deserialize)]
pub struct AuthSettings {
    /// Ed25519 private key (PEM, or its base64 body); the development key when absent in development.
    pub jwt_private_key: Option<SecretString>,
    /// Ed25519 public key (PEM, or its base64 body).
    pub jwt_public_key: Option<String>,
    /// Access token lifetime in seconds.
    pub access_ttl_secs: i64,
    /// Refresh token lifetime in days since last use.
    pub refresh_ttl_days: i64,
    /// Argon2id memory, KiB.
    pub argon2_memory_kib: u32,
    /// Argon2id passes.
    pub argon2_iterations: u32,
    /// Argon2id lanes.
    pub argon2_parallelism: u32,
    /// Password hashes computed at once; 0 means one less than the cores (at least 1).
    pub hash_concurrency: usize,
    /// Login and registration attempts per minute, per client address and per email.
    pub rate_limit_per_minute: u32,
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
            ("DATABASE_READ_URL", "APP__DATABASE__READ_URL"),
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
            .set_default("auth.access_ttl_secs", 900)?
            .set_default("auth.refresh_ttl_days", 30)?
            .set_default("auth.argon2_memory_kib", 19_456)?
            .set_default("auth.argon2_iterations", 2)?
            .set_default("auth.argon2_parallelism", 1)?
            .set_default("auth.hash_concurrency", 0)?
            .set_default("auth.rate_limit_per_minute", 10)?
            .add_source(config::File::with_name(&file).required(required))
            .add_source(
                config::Environment::with_prefix("APP")
                    .prefix_separator("__")
                    .separator("__")
                    .try_parsing(true)
                    .list_separator(",")
                    .with_list_parse_key("server.cors_allowed_origins")
                    .source(Some(app_vars)),
            );
        let config = builder.build().context("reading configuration")?;
        // Read apart: `database` is kernel's `DatabaseSettings`, shared with other binaries.
        let read_url = match config.get_string("database.read_url") {
            Ok(url) if !url.trim().is_empty() => Some(SecretString::from(url)),
            Ok(_) | Err(config::ConfigError::NotFound(_)) => None,
            Err(e) => return Err(e).context("invalid database.read_url"),
        };
        let mut settings: Self = config.try_deserialize().context("invalid configuration")?;
        settings.database_read_url = read_url;
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

impl Settings {
    /// The access-token keys in force. Production refuses to run without keys
    /// of its own; development falls back to the published development pair.
    pub fn jwt_keys(&self) -> anyhow::Result<auth::infra::JwtKeys> {
        use crate::dev_keys;
        use secrecy::ExposeSecret as _;
        let private = self
            .auth
            .jwt_private_key
            .as_ref()
            .map(|k| k.expose_secret().to_owned());
        let public = self.auth.jwt_public_key.clone();
        let (private, public) = match (private, public, self.environment) {
            (Some(private), Some(public), Environment::Production)
                if private.contains(dev_keys::PRIVATE_KEY)
                    || public.contains(dev_keys::PUBLIC_KEY) =>
            {
                anyhow::bail!(
                    "production refuses the development JWT keys; set APP__AUTH__JWT_PRIVATE_KEY and APP__AUTH__JWT_PUBLIC_KEY"
                )
            }
            (Some(private), Some(public), _) => (private, public),
            (None, None, Environment::Development) => (
                dev_keys::PRIVATE_KEY.to_owned(),
                dev_keys::PUBLIC_KEY.to_owned(),
            ),
            _ => anyhow::bail!(
                "set both APP__AUTH__JWT_PRIVATE_KEY and APP__AUTH__JWT_PUBLIC_KEY (Ed25519, PEM or its base64 body)"
            ),
        };
        Ok(auth::infra::JwtKeys {
            private_pem: Some(SecretString::from(dev_keys::to_pem(
                &private,
                "PRIVATE KEY",
            ))),
            public_pem: dev_keys::to_pem(&public, "PUBLIC KEY"),
        })
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
    fn the_read_replica_is_optional() {
        assert!(load(&[]).unwrap().database_read_url.is_none());
        assert!(
            load(&[("DATABASE_READ_URL", "")])
                .unwrap()
                .database_read_url
                .is_none()
        );
        let s = load(&[("DATABASE_READ_URL", "postgres://x@replica/y")]).unwrap();
        assert_eq!(
            s.database_read_url.unwrap().expose_secret(),
            "postgres://x@replica/y"
        );
        let s = load(&[("APP__DATABASE__READ_URL", "postgres://x@other/y")]).unwrap();
        assert_eq!(
            s.database_read_url.unwrap().expose_secret(),
            "postgres://x@other/y"
        );
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
    fn production_needs_its_own_keys() {
        use secrecy::ExposeSecret as _;
        let dev = load(&[]).unwrap();
        assert!(
            dev.jwt_keys().is_ok(),
            "development falls back to the development keys"
        );
        let prod = load(&[("APP__ENVIRONMENT", "production")]).unwrap();
        assert!(prod.jwt_keys().is_err(), "no key in production");
        let reused = load(&[
            ("APP__ENVIRONMENT", "production"),
            ("APP__AUTH__JWT_PRIVATE_KEY", crate::dev_keys::PRIVATE_KEY),
            ("APP__AUTH__JWT_PUBLIC_KEY", crate::dev_keys::PUBLIC_KEY),
        ])
        .unwrap();
        assert!(reused.jwt_keys().is_err(), "development keys in production");
        let keys = dev.jwt_keys().unwrap();
        assert!(
            keys.private_pem
                .unwrap()
                .expose_secret()
                .starts_with("-----BEGIN PRIVATE KEY-----")
        );
    }

    #[test]
    fn cors_origins_are_a_comma_separated_list() {
        assert!(load(&[]).unwrap().server.cors_allowed_origins.is_empty());
        let s = load(&[(
            "APP__SERVER__CORS_ALLOWED_ORIGINS",
            "https://a.example,https://b.example",
        )])
        .unwrap();
        assert_eq!(
            s.server.cors_allowed_origins,
            ["https://a.example", "https://b.example"]
        );
    }

    #[test]
    fn a_named_file_must_exist() {
        assert!(load(&[("APP_CONFIG_FILE", "/nonexistent/my-agent.toml")]).is_err());
    }
}
