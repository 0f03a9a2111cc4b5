//! The request middleware: a request id (taken from `x-request-id` when sane,
//! else a new UUID v7, and always echoed back), one tracing span per request,
//! an access log line, metrics by route template, the cause of every 5xx in
//! the log, and problem+json for any error response that is not one yet.

use super::metrics::Metrics;
use super::problem::{INTERNAL_DETAIL, PROBLEM_JSON, Problem, UNAVAILABLE_DETAIL};
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;
use std::time::Instant;
use tracing::Instrument as _;

/// The header carrying the request id, in and out.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Route label for requests that matched no route (keeps metric cardinality bounded).
const UNMATCHED: &str = "unmatched";

/// The middleware; install with `App::wrap(actix_web::middleware::from_fn(observe))`.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let request_id = incoming_request_id(&req).unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    let method = req.method().as_str().to_owned();
    let span = tracing::info_span!(
        "request",
        request_id = %request_id,
        method = %method,
        route = tracing::field::Empty,
    );
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let started = Instant::now();

    // Handlers' errors arrive as responses; only a middleware error is an `Err`.
    // (The request cannot be cloned before routing, so such an error is
    // counted here and left to actix to render.)
    let mut res = match next.call(req).instrument(span.clone()).await {
        Ok(res) => res.map_into_boxed_body(),
        Err(err) => {
            let status = err.as_response_error().status_code().as_u16();
            if let Some(metrics) = metrics {
                metrics.observe(&method, UNMATCHED, status, started.elapsed().as_secs_f64());
            }
            tracing::warn!(parent: &span, status, error = %err, "middleware error");
            return Err(err);
        }
    };

    let elapsed = started.elapsed();
    let status = res.status();
    let route = res
        .request()
        .match_pattern()
        .unwrap_or_else(|| UNMATCHED.to_owned());
    span.record("route", route.as_str());

    if status.is_server_error() {
        let cause = res.response().error().map(ToString::to_string);
        tracing::error!(parent: &span, status = status.as_u16(), cause = cause.as_deref().unwrap_or("none"), "request failed");
    }
    if (status.is_client_error() || status.is_server_error()) && !is_problem(&res) {
        res = into_problem(res);
    }
    if let (Ok(name), Ok(value)) = (
        HeaderName::from_bytes(REQUEST_ID_HEADER.as_bytes()),
        HeaderValue::from_str(&request_id),
    ) {
        res.headers_mut().insert(name, value);
    }

    if let Some(metrics) = metrics {
        metrics.observe(&method, &route, status.as_u16(), elapsed.as_secs_f64());
    }
    tracing::info!(
        parent: &span,
        status = status.as_u16(),
        latency_us = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX),
        "answered"
    );
    Ok(res)
}

/// A client-supplied id is kept when short and printable, so traces can span services.
fn incoming_request_id(req: &ServiceRequest) -> Option<String> {
    let value = req.headers().get(REQUEST_ID_HEADER)?.to_str().ok()?;
    let ok = !value.is_empty()
        && value.len() <= 128
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    ok.then(|| value.to_owned())
}

fn is_problem(res: &ServiceResponse<BoxBody>) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_JSON))
}

/// Replaces a non-problem error body (actix's own 404/405, a plain-text
/// error) with a problem document, keeping the other headers (`Allow`, `Retry-After`).
fn into_problem(res: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    let status = res.status();
    let detail = match status.as_u16() {
        404 => "No resource matches this path.".to_owned(),
        405 => "This method is not allowed on this resource.".to_owned(),
        503 => UNAVAILABLE_DETAIL.to_owned(),
        s if s >= 500 => INTERNAL_DETAIL.to_owned(),
        _ => res
            .response()
            .error()
            .map(ToString::to_string)
            .unwrap_or_else(|| {
                status
                    .canonical_reason()
                    .unwrap_or("Client error")
                    .to_owned()
            }),
    };
    let mut problem = Problem::new(status.as_u16(), detail).into_response();
    for (name, value) in res.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            problem.headers_mut().append(name.clone(), value.clone());
        }
    }
    res.into_response(problem)
}
