//! HTTP route of the dashboard. The binary installs the
//! [`DashboardService`](crate::application::DashboardService) as app data.

use crate::application::DashboardService;
use crate::domain::Dashboard;
use actix_web::{HttpResponse, get, web};
use kernel::http::Problem;
use kernel::{ApiError, AuthUser};
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the dashboard route under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(dashboard);
}

/// Everything the home screen needs, in the user's time zone. A part whose
/// module fails or is slow comes back `{"status": "unavailable"}`; the others are still served.
#[utoipa::path(
    tag = "dashboard",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The dashboard", body = Dashboard),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/dashboard")]
pub async fn dashboard(
    service: web::Data<DashboardService>,
    user: AuthUser,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service.dashboard(user.user_id).await?))
}
