//! HTTP routes of the `calendar` module, registered with their OpenAPI paths.

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers this module's routes under `/api/v1`.
pub fn configure(_cfg: &mut ServiceConfig) {}
