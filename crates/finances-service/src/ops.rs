//! Operational endpoints: liveness, readiness (this service's migrations
//! only), metrics.

use actix_web::{HttpResponse, get, web};
use kernel::http::{Metrics, Problem};
use kernel::infra::{DbPool, migrations};
use serde::Serialize;
use std::time::Duration;

/// Readiness must answer within 2 s even when the database hangs.
const READY_BUDGET: Duration = Duration::from_millis(1500);

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

/// Readiness: the database answers and has every finances migration.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Ready to serve", body = Status),
        (status = 503, description = "Database unreachable or migrations pending", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/ready")]
pub async fn ready(pool: web::Data<DbPool>) -> HttpResponse {
    let check = async {
        let mut conn = pool.get().await.map_err(|e| {
            tracing::warn!(error = %e, "readiness: no database connection");
            "The database is unreachable.".to_owned()
        })?;
        let pending = migrations::pending_matching(&mut conn, crate::migrations::is_finances)
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "readiness: cannot read migration state");
                "The database does not answer queries.".to_owned()
            })?;
        if pending.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "{} migration(s) pending: {}. Run `finances-service migrate`.",
                pending.len(),
                pending.join(", ")
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
    kernel::http::metrics::metrics_endpoint(metrics).await
}
