//! The `my-agent` command line: `serve`, `migrate` and `seed`.

use crate::app::{AppContext, build_app};
use crate::settings::Settings;
use crate::wiring::{WiringOptions, build_modules_with_reader};
use actix_web::HttpServer;
use anyhow::Context as _;
use clap::{Parser, Subcommand};
use kernel::config::Environment;
use kernel::http::Metrics;
use kernel::infra::{PoolOptions, ReadPool, build_pool, migrations, pool_status};
use secrecy::ExposeSecret as _;
use std::sync::Arc;
use std::time::Duration;

/// my-agent: a self-hosted personal-assistant API.
#[derive(Debug, Parser)]
#[command(name = "my-agent", version, about)]
pub struct Cli {
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the HTTP API.
    Serve,
    /// Apply pending database migrations (or revert / list them).
    Migrate {
        /// Revert the most recent migration instead.
        #[arg(long, conflicts_with = "status")]
        revert: bool,
        /// List every migration and whether it is applied.
        #[arg(long)]
        status: bool,
    },
    /// Load a realistic development data set (refused in production).
    Seed(SeedArgs),
}

/// Options of `my-agent seed`.
#[derive(Debug, clap::Args)]
pub struct SeedArgs {
    /// How many users.
    #[arg(long, default_value_t = 1_000)]
    pub users: u64,
    /// Transactions per user.
    #[arg(long, default_value_t = 1_000)]
    pub transactions_per_user: i64,
    /// Reminders per user.
    #[arg(long, default_value_t = 40)]
    pub reminders_per_user: i64,
    /// Calendar events per user.
    #[arg(long, default_value_t = 150)]
    pub events_per_user: i64,
    /// Number of the first seeded user (to add users to an already seeded database).
    #[arg(long, default_value_t = 1)]
    pub first_user: u64,
    /// Write `number, user id, email, access token` lines (tab-separated) here.
    #[arg(long)]
    pub out: Option<std::path::PathBuf>,
}

/// Runs the parsed command.
pub async fn run(cli: Cli, settings: Settings) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
        Command::Migrate { revert, status } => migrate(&settings, revert, status).await,
        Command::Seed(args) => {
            let options = crate::seed::SeedOptions {
                users: args.users,
                first_user: args.first_user,
                transactions_per_user: args.transactions_per_user,
                reminders_per_user: args.reminders_per_user,
                events_per_user: args.events_per_user,
                out: args.out,
            };
            crate::seed::seed(&settings, &options).await
        }
    }
}

async fn migrate(settings: &Settings, revert: bool, status: bool) -> anyhow::Result<()> {
    let url = settings.database.url.expose_secret();
    if status {
        let mut conn = migrations::connect(url).await?;
        for m in migrations::status(&mut conn).await? {
            let mark = if m.applied { "applied" } else { "pending" };
            tracing::info!(migration = %m.name, state = mark, "migration");
        }
    } else if revert {
        let version = migrations::revert_last(url).await?;
        tracing::info!(%version, "reverted");
    } else {
        let applied = migrations::run_pending(url).await?;
        tracing::info!(count = applied.len(), versions = ?applied, "migrations applied");
    }
    Ok(())
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    // Refuse to start on keys that cannot be trusted before touching anything.
    settings.jwt_keys()?;
    let url = settings.database.url.expose_secret().to_owned();
    if settings.database.migrate_on_start {
        if settings.environment == Environment::Development {
            let applied = migrations::run_pending(&url).await?;
            tracing::info!(
                count = applied.len(),
                "migrations applied at start (development)"
            );
        } else {
            tracing::warn!(
                "database.migrate_on_start is ignored in production; run `my-agent migrate`"
            );
        }
    }
    let pool_options = PoolOptions {
        max_size: settings.database.pool_size,
        acquire_timeout: Duration::from_millis(settings.database.acquire_timeout_ms),
    };
    let pool = build_pool(&url, pool_options).context("building the database pool")?;
    let reader = read_pool(&settings, &pool, pool_options)?;
    let probe_pool = pool.clone();
    let metrics = Metrics::new(Some(Arc::new(move || pool_status(&probe_pool))));
    let modules =
        build_modules_with_reader(&pool, &reader, WiringOptions::from_settings(&settings)?)?;
    let ctx = AppContext {
        pool: pool.clone(),
        metrics,
        json_limit: settings.server.json_limit_bytes,
        modules,
        cors_origins: settings.server.cors_allowed_origins.clone(),
    };
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
    // actix stops accepting on SIGTERM/SIGINT and lets in-flight requests
    // finish for up to `shutdown_timeout_secs`.
    server.run().await.context("HTTP server")?;
    pool.close();
    if let Some(replica) = reader.replica() {
        replica.close();
    }
    tracing::info!("stopped");
    Ok(())
}

/// The pools reads use: the replica of `database.read_url` (a pool of the
/// same size as the primary's) when set, else the primary alone.
fn read_pool(
    settings: &Settings,
    pool: &kernel::infra::DbPool,
    options: PoolOptions,
) -> anyhow::Result<ReadPool> {
    let Some(url) = &settings.database_read_url else {
        return Ok(ReadPool::primary_only(pool.clone()));
    };
    let replica =
        build_pool(url.expose_secret(), options).context("building the read replica's pool")?;
    tracing::info!("list, summary, range, export and dashboard reads use the read replica");
    Ok(ReadPool::new(
        pool.clone(),
        Some(replica),
        kernel::infra::read_pool::REPLICA_RETRY_AFTER,
    ))
}
