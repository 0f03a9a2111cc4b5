//! HTTP routes of the `finances` module, registered with their OpenAPI paths.
//! The binary installs the [`FinancesService`](crate::application::FinancesService) as app data.

mod dto;
mod handlers;

pub use kernel::http::idempotency::REPLAYED_HEADER;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers this module's routes under `/api/v1`. The literal
/// `/transactions/export` and `/transactions/import` come before `/transactions/{id}`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(handlers::create_transaction)
        .service(handlers::list_transactions)
        .service(handlers::export_transactions)
        .service(handlers::import_transactions)
        .service(handlers::get_transaction)
        .service(handlers::update_transaction)
        .service(handlers::delete_transaction)
        .service(handlers::summary)
        .service(handlers::list_categories)
        .service(handlers::create_category)
        .service(handlers::get_category)
        .service(handlers::rename_category)
        .service(handlers::delete_category)
        .service(handlers::put_budget)
        .service(handlers::list_budgets)
        .service(handlers::delete_budget);
}
