//! The `finances-service` command line: `serve` (default) and `migrate`.

use crate::app::{ServiceContext, build_app};
use crate::settings::ServiceSettings;
use crate::token::PublicKeyVerifier;
use actix_web::HttpServer;
use anyhow::Context as _;
use clap::{Parser, Subcommand};
use kernel::config::Environment;
use kernel::http::Metrics;
use kernel::infra::{PoolOptions, build_pool, migrations, pool_status};
use secrecy::ExposeSecret as _;
use std::sync::Arc;
use std::time::Duration;

/// finances-service: the finances module of my-agent as its own service.
#[derive(Debug, Parser)]
#[command(name = "finances-service", version, about)]
pub struct Cli {
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the finances HTTP API.
    Serve,
    /// Apply the finances schema's pending migrations (or list them).
    Migrate {
        /// List this service's migrations and whether each is applied.
        #[arg(long)]
        status: bool,
    },
}

/// Runs the parsed command.
pub async fn run(cli: Cli, settings: ServiceSettings) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
        Command::Migrate { status } => migrate(&settings, status).await,
    }
}

async fn migrate(settings: &ServiceSettings, status: bool) -> anyhow::Result<()> {
    let url = settings.database.url.expose_secret();
    if status {
        let mut conn = migrations::connect(url).await?;
        for m in migrations::status_matching(&mut conn, crate::migrations::is_finances).await? {
            let mark = if m.applied { "applied" } else { "pending" };
            tracing::info!(migration = %m.name, state = mark, "migration");
        }
    } else {
        let applied = crate::migrations::run_pending(url).await?;
        tracing::info!(count = applied.len(), versions = ?applied, "migrations applied");
    }
    Ok(())
}

async fn serve(settings: ServiceSettings) -> anyhow::Result<()> {
    let clock: Arc<dyn kernel::Clock> = Arc::new(kernel::SystemClock);
    let verifier = PublicKeyVerifier::new(&settings.public_key_pem()?, clock.clone())?;
    let url = settings.database.url.expose_secret().to_owned();
    if settings.database.migrate_on_start {
        if settings.environment == Environment::Development {
            let applied = crate::migrations::run_pending(&url).await?;
            tracing::info!(
                count = applied.len(),
                "migrations applied at start (development)"
            );
        } else {
            tracing::warn!(
                "database.migrate_on_start is ignored in production; run `finances-service migrate`"
            );
        }
    }
    let pool = build_pool(
        &url,
        PoolOptions {
            max_size: settings.database.pool_size,
            acquire_timeout: Duration::from_millis(settings.database.acquire_timeout_ms),
        },
    )
    .context("building the database pool")?;
    let probe_pool = pool.clone();
    let metrics = Metrics::new(Some(Arc::new(move || pool_status(&probe_pool))));
    let mut ctx = ServiceContext::new(pool.clone(), metrics, verifier, clock);
    ctx.json_limit = settings.server.json_limit_bytes;
    ctx.cors_origins = settings.server.cors_allowed_origins.clone();
    let mut server = HttpServer::new(move || build_app(ctx.clone()))
        .shutdown_timeout(settings.server.shutdown_timeout_secs)
        .bind((settings.server.host.as_str(), settings.server.port))
        .with_context(|| format!("binding {}:{}", settings.server.host, settings.server.port))?;
    if settings.server.workers > 0 {
        server = server.workers(settings.server.workers);
    }
    tracing::info!(
        host = %settings.server.host,
        port = settings.server.port,
        environment = ?settings.environment,
        "listening"
    );
    server.run().await.context("HTTP server")?;
    pool.close();
    tracing::info!("stopped");
    Ok(())
}
