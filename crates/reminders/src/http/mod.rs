//! HTTP routes of the `reminders` module, registered with their OpenAPI paths.
//! The binary installs the [`RemindersService`](crate::application::RemindersService) as app data.

mod dto;
mod handlers;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers this module's routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(handlers::create)
        .service(handlers::list)
        .service(handlers::get)
        .service(handlers::update)
        .service(handlers::delete)
        .service(handlers::complete)
        .service(handlers::snooze)
        .service(handlers::reopen);
}
