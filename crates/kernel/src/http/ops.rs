//! Operational endpoints every binary serves: liveness, readiness (against
//! the migrations that binary owns, see [`Readiness`]) and metrics.

use super::{Metrics, Problem};
use crate::infra::{DbPool, migrations};
use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use std::time::Duration;

/// Readiness must answer within 2 s even when the database hangs.
const READY_BUDGET: Duration = Duration::from_millis(1500);

/// What `/ready` checks, registered as app data by each binary.
#[derive(Clone, Copy, Debug)]
pub struct Readiness {
    /// Which of the embedded migrations this binary needs applied.
    pub migrations: fn(&str) -> bool,
    /// The command an operator runs to apply them, named in the 503.
    pub migrate_command: &'static str,
}

/// The body of `/health` and `/ready` when all is well.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Status {
    /// `ok` or `ready`.
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// Liveness: the process is up. Never touches the database.
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "The process is up", body = Status))
)]
#[get("/health")]
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(Status { status: "ok" })
}

/// Readiness: the database answers and has every migration this binary needs.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Ready to serve", body = Status),
        (status = 503, description = "Database unreachable or migrations pending", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/ready")]
pub async fn ready(pool: web::Data<DbPool>, readiness: web::Data<Readiness>) -> HttpResponse {
    let check = async {
        let mut conn = pool.get().await.map_err(|e| {
            tracing::warn!(error = %e, "readiness: no database connection");
            "The database is unreachable.".to_owned()
        })?;
        let pending = migrations::pending_matching(&mut conn, readiness.migrations)
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "readiness: cannot read migration state");
                "The database does not answer queries.".to_owned()
            })?;
        if pending.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "{} migration(s) pending: {}. Run `{}`.",
                pending.len(),
                pending.join(", "),
                readiness.migrate_command
            ))
        }
    };
    let outcome = tokio::time::timeout(READY_BUDGET, check)
        .await
        .unwrap_or_else(|_| Err("The database did not answer in time.".to_owned()));
    match outcome {
        Ok(()) => HttpResponse::Ok().json(Status { status: "ready" }),
        Err(detail) => Problem::new(503, detail).into_response(),
    }
}

/// Prometheus metrics (OpenMetrics text): requests by route and status, latency, pool.
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "Metrics in the OpenMetrics text format", body = String, content_type = "application/openmetrics-text"))
)]
#[get("/metrics")]
pub async fn metrics(metrics: web::Data<Metrics>) -> HttpResponse {
    super::metrics::metrics_endpoint(metrics).await
}
