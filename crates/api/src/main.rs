//! `my-agent`: serve the API or manage its migrations.

use api::cli::{Cli, run};
use api::{Settings, telemetry};
use clap::Parser as _;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("my-agent: {err:#}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&settings.log);
    match run(cli, settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %format!("{err:#}"), "my-agent failed");
            ExitCode::FAILURE
        }
    }
}
