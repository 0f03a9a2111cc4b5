//! `finances-service`: serve the finances module on its own, or migrate its schema.

use clap::Parser as _;
use finances_service::ServiceSettings;
use finances_service::cli::{Cli, run};
use kernel::config::LogFormat;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match ServiceSettings::load() {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("finances-service: {err:#}");
            return ExitCode::from(2);
        }
    };
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&settings.log.filter))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = match settings.log.format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Pretty => builder.compact().try_init(),
    };
    match run(cli, settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %format!("{err:#}"), "finances-service failed");
            ExitCode::FAILURE
        }
    }
}
