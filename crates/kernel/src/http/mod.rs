//! HTTP plumbing shared by every module: problem+json rendering, extractor
//! configuration, the request middleware (request id, span, metrics, access
//! log) and the [`AuthUser`](crate::AuthUser) extractor.

mod auth_user;
pub mod cors;
pub mod extract;
pub mod fallback;
pub mod headers;
pub mod idempotency;
pub mod metrics;
pub mod observe;
pub mod openapi;
#[cfg(feature = "infra")]
pub mod ops;

/// The request's `If-Match` header, parsed; `None` when absent.
pub fn if_match(req: &actix_web::HttpRequest) -> Option<crate::precondition::IfMatch> {
    req.headers()
        .get(actix_web::http::header::IF_MATCH)
        .map(|v| crate::precondition::IfMatch::parse(v.to_str().unwrap_or_default()))
}
pub mod problem;

pub use cors::cors;
pub use extract::{json_config, path_config, query_config};
pub use fallback::{RouteIndex, fallback};
pub use headers::security_headers;
pub use metrics::{Metrics, PoolStatus};
pub use observe::{REQUEST_ID_HEADER, observe};
pub use problem::{PROBLEM_JSON, Problem};
