//! Response headers every answer gets: no MIME sniffing, no referrer, and
//! `Cache-Control: no-store` on anything that may carry a user's data or
//! credentials (a request that sent `Authorization`, and every auth route).

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;

/// Path prefix whose answers carry credentials.
const AUTH_PREFIX: &str = "/api/v1/auth/";

/// The middleware; install with `App::wrap(actix_web::middleware::from_fn(security_headers))`.
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let private =
        req.headers().contains_key(header::AUTHORIZATION) || req.path().starts_with(AUTH_PREFIX);
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if private {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(res)
}
