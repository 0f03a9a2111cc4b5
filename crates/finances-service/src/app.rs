//! The actix app: the finances routes under `/api/v1`, the operational
//! endpoints and the OpenAPI document, with the same middleware and
//! extractor configuration as the my-agent API.

use crate::request_claims::{self, ClaimTimezones};
use crate::token::PublicKeyVerifier;
use crate::{openapi, ops};
use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{Condition, from_fn};
use actix_web::{App, HttpResponse, web};
use finances::application::{FinancesDeps, FinancesService};
use finances::infra::{PgBudgets, PgCategories, PgIdempotencyStore, PgTransactions};
use kernel::Clock;
use kernel::auth::TokenVerifier;
use kernel::http::{
    Metrics, RouteIndex, fallback, json_config, observe, path_config, query_config,
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
        .service(ops::health)
        .service(ops::ready)
        .service(ops::metrics)
        .service(
            scope("/api/v1")
                .route("/openapi.json", web::get().to(openapi_json))
                .configure(finances::configure),
        )
        .split_for_parts();
    kernel::http::openapi::add_common_responses(&mut doc);
    let index = RouteIndex::from_openapi(&doc);
    let cors = cors(&ctx.cors_origins);
    let json = serde_json::to_vec(&doc).unwrap_or_default();
    let verifier: Arc<dyn TokenVerifier> = ctx.verifier.clone();
    app.app_data(web::Data::new(index))
        .app_data(web::Data::new(OpenApiJson(json.into())))
        .default_service(web::to(fallback))
        .app_data(web::Data::from(verifier))
        .app_data(web::Data::from(ctx.finances.clone()))
        .wrap(from_fn(request_claims::scope))
        .wrap(from_fn(security_headers))
        .wrap(Condition::new(cors.is_some(), cors.unwrap_or_default()))
        .wrap(from_fn(observe))
}

/// CORS for the configured origins, or `None` when there are none.
fn cors(origins: &[String]) -> Option<Cors> {
    if origins.is_empty() {
        return None;
    }
    let cors = origins
        .iter()
        .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin))
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            "authorization",
            "content-type",
            "idempotency-key",
            "if-match",
            "x-request-id",
        ])
        .expose_headers(["etag", "location", "retry-after", "x-request-id"])
        .max_age(3600);
    Some(cors)
}

/// The OpenAPI document, serialized once per worker.
struct OpenApiJson(web::Bytes);

async fn openapi_json(doc: web::Data<OpenApiJson>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(doc.0.clone())
}
