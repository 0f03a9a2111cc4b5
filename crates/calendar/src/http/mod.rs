//! HTTP routes of the `calendar` module, registered with their OpenAPI paths.
//! The binary installs the [`CalendarService`](crate::application::CalendarService) as app data.

mod dto;
mod handlers;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers this module's routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(handlers::create_event)
        .service(handlers::list_occurrences)
        .service(handlers::get_event)
        .service(handlers::update_event)
        .service(handlers::delete_event)
        .service(handlers::cancel_occurrence)
        .service(handlers::restore_occurrence)
        .service(handlers::rotate_feed_token)
        .service(handlers::feed)
        .service(handlers::import);
}
