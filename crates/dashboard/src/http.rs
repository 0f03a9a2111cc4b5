//! HTTP route of the dashboard.

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the dashboard route under `/api/v1`.
pub fn configure(_cfg: &mut ServiceConfig) {}
