//! HTTP routes of the `auth` module, registered with their OpenAPI paths.
//! The binary installs the [`AuthService`](crate::application::AuthService) as app data.

mod dto;
mod handlers;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers this module's routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(handlers::register)
        .service(handlers::login)
        .service(handlers::refresh)
        .service(handlers::logout)
        .service(handlers::list_sessions)
        .service(handlers::revoke_session)
        .service(handlers::change_password)
        .service(handlers::create_token)
        .service(handlers::list_tokens)
        .service(handlers::get_token)
        .service(handlers::revoke_token);
}
