//! The actix app: the finances routes under `/api/v1`, the operational
//! endpoints and the OpenAPI document, with the same middleware and
//! extractor configuration as the my-agent API.

use crate::openapi;
use crate::request_claims::{self, ClaimTimezones};
use crate::token::PublicKeyVerifier;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{Condition, from_fn};
use actix_web::{App, web};
use finances::application::{FinancesDeps, FinancesService};
use finances::infra::{PgBudgets, PgCategories, PgIdempotencyStore, PgTransactions};
use kernel::Clock;
use kernel::auth::TokenVerifier;
use kernel::http::openapi::{ServedDocument, serve_document};
use kernel::http::ops::{self, Readiness};
use kernel::http::{
    Metrics, RouteIndex, cors, fallback, json_config, observe, path_config, query_config,
    security_headers,
};
use kernel::infra::{DbPool, PgTransactor};
use std::sync::Arc;
use utoipa_actix_web::{AppExt as _, scope};

/// Where the OpenAPI document is served.
pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";

/// What every worker's app is built from; cheap to clone.
#[derive(Clone)]
pub struct ServiceContext {
    /// The database pool.
    pub pool: DbPool,
    /// Process metrics.
    pub metrics: Metrics,
    /// Largest JSON body, in bytes.
    pub json_limit: usize,
    /// The finances module's façade.
    pub finances: Arc<FinancesService>,
    /// Access-token verification with the public key.
    pub verifier: Arc<PublicKeyVerifier>,
    /// Origins allowed to call the API from a browser; none by default.
    pub cors_origins: Vec<String>,
}

impl ServiceContext {
    /// The finances module over `pool`, its time zones read from the token.
    pub fn new(
        pool: DbPool,
        metrics: Metrics,
        verifier: PublicKeyVerifier,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let finances = Arc::new(FinancesService::new(FinancesDeps {
            transactions: Arc::new(PgTransactions::new(pool.clone())),
            categories: Arc::new(PgCategories::new(pool.clone())),
            budgets: Arc::new(PgBudgets::new(pool.clone())),
            idempotency: Arc::new(PgIdempotencyStore::new()),
            transactor: Arc::new(PgTransactor::new(pool.clone())),
            timezones: Arc::new(ClaimTimezones),
            clock,
        }));
        Self {
            pool,
            metrics,
            json_limit: 1024 * 1024,
            finances,
            verifier: Arc::new(verifier),
            cors_origins: Vec::new(),
        }
    }
}

/// Builds the app for one worker.
pub fn build_app(
    ctx: ServiceContext,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let (app, mut doc) = App::new()
        .into_utoipa_app()
        .openapi(openapi::base())
        .app_data(json_config(ctx.json_limit))
        .app_data(query_config())
        .app_data(path_config())
        .app_data(web::Data::new(ctx.pool.clone()))
        .app_data(web::Data::new(ctx.metrics.clone()))
        .app_data(web::Data::new(Readiness {
            migrations: crate::migrations::is_finances,
            migrate_command: "finances-service migrate",
        }))
        .service(ops::health)
        .service(ops::ready)
        .service(ops::metrics)
        .service(
            scope("/api/v1")
                .route("/openapi.json", web::get().to(serve_document))
                .configure(finances::configure),
        )
        .split_for_parts();
    kernel::http::openapi::add_common_responses(&mut doc);
    let index = RouteIndex::from_openapi(&doc);
    let cors = cors(&ctx.cors_origins);
    let verifier: Arc<dyn TokenVerifier> = ctx.verifier.clone();
    app.app_data(web::Data::new(index))
        .app_data(web::Data::new(ServedDocument::new(&doc)))
        .default_service(web::to(fallback))
        .app_data(web::Data::from(verifier))
        .app_data(web::Data::from(ctx.finances.clone()))
        .wrap(from_fn(request_claims::scope))
        .wrap(from_fn(security_headers))
        .wrap(Condition::new(cors.is_some(), cors.unwrap_or_default()))
        .wrap(from_fn(observe))
}
