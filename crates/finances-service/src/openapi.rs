//! The service's base OpenAPI document; the finances routes add their paths
//! when registered.

use kernel::FieldError;
use kernel::http::Problem;
use utoipa::OpenApi;

/// The bearer scheme every finances operation names.
pub const BEARER: &str = "bearer";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "my-agent finances",
        description = "The finances module of my-agent as its own service. Access tokens come from the \
                       my-agent API (`/api/v1/auth/login`); errors are RFC 9457 problem+json.",
        license(name = "MIT")
    ),
    components(schemas(Problem, FieldError)),
    tags(
        (name = "operations", description = "Liveness, readiness and metrics"),
        (name = "finances", description = "Transactions, categories, monthly budgets, summaries and CSV import/export; money is a decimal string, creates take an Idempotency-Key"),
    )
)]
struct ApiDoc;

/// The document before routes add themselves.
pub fn base() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    kernel::http::openapi::add_bearer_scheme(&mut doc, "JWT access token");
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    doc
}
