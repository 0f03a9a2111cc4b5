//! The actix app: every module's routes under `/api/v1`, the operational
//! endpoints, the OpenAPI document and its reference page, and the shared
//! middleware and extractor configuration.

use crate::openapi;
use crate::wiring::Modules;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{Condition, from_fn};
use actix_web::{App, HttpResponse, web};
use kernel::auth::TokenVerifier;
use kernel::http::openapi::{ServedDocument, serve_document};
use kernel::http::ops::{self, Readiness};
use kernel::http::{
    Metrics, RouteIndex, cors, fallback, json_config, observe, path_config, query_config,
    security_headers,
};
use kernel::infra::DbPool;
use std::sync::Arc;
use utoipa_actix_web::{AppExt as _, scope};
use utoipa_swagger_ui::{Config, SwaggerUi};

/// Where the OpenAPI document is served.
pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";

/// What every worker's app is built from; cheap to clone.
#[derive(Clone)]
pub struct AppContext {
    /// The database pool.
    pub pool: DbPool,
    /// Process metrics.
    pub metrics: Metrics,
    /// Largest JSON body, in bytes.
    pub json_limit: usize,
    /// Every module's façade.
    pub modules: Modules,
    /// Origins allowed to call the API from a browser; none by default (no CORS headers at all).
    pub cors_origins: Vec<String>,
}

/// Builds the app for one worker.
pub fn build_app(
    ctx: AppContext,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let (app, doc) = App::new()
        .into_utoipa_app()
        .openapi(openapi::base())
        .app_data(json_config(ctx.json_limit))
        .app_data(query_config())
        .app_data(path_config())
        .app_data(web::Data::new(ctx.pool.clone()))
        .app_data(web::Data::new(ctx.metrics.clone()))
        .app_data(web::Data::new(Readiness {
            migrations: |_| true,
            migrate_command: "my-agent migrate",
        }))
        .service(ops::health)
        .service(ops::ready)
        .service(ops::metrics)
        .service(
            scope("/api/v1")
                .route("/openapi.json", web::get().to(serve_document))
                .configure(auth::configure)
                .configure(users::configure)
                .configure(finances::configure)
                .configure(reminders::configure)
                .configure(calendar::configure)
                .configure(dashboard::configure),
        )
        .split_for_parts();
    let mut doc = doc;
    kernel::http::openapi::add_common_responses(&mut doc);
    let index = RouteIndex::from_openapi(&doc);
    let cors = cors(&ctx.cors_origins);
    let verifier: Arc<dyn TokenVerifier> = ctx.modules.verifier.clone();
    app.app_data(web::Data::new(index))
        .app_data(web::Data::new(ServedDocument::new(&doc)))
        .service(SwaggerUi::new("/docs/{_:.*}").config(Config::from(OPENAPI_PATH)))
        .route("/docs", web::get().to(docs_redirect))
        .default_service(web::to(fallback))
        .app_data(web::Data::from(verifier))
        .app_data(web::Data::from(ctx.modules.auth.clone()))
        .app_data(web::Data::from(ctx.modules.users.clone()))
        .app_data(web::Data::from(ctx.modules.reminders.clone()))
        .app_data(web::Data::from(ctx.modules.calendar.clone()))
        .app_data(web::Data::from(ctx.modules.finances.clone()))
        .app_data(web::Data::from(ctx.modules.dashboard.clone()))
        .app_data(web::Data::from(ctx.modules.lifecycle.clone()))
        .wrap(from_fn(security_headers))
        .wrap(Condition::new(cors.is_some(), cors.unwrap_or_default()))
        .wrap(from_fn(observe))
}

async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header(("Location", "/docs/"))
        .finish()
}
