//! HTTP routes of the `users` module, registered with their OpenAPI paths.
//! The binary installs the [`UsersService`](crate::application::UsersService) as app data.

mod dto;
mod handlers;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers this module's routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(handlers::me)
        .service(handlers::update_me)
        .service(handlers::delete_me)
        .service(handlers::export_me);
}
