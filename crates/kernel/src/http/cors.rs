//! CORS for the configured browser origins: none by default, and then no CORS
//! headers at all.

use actix_cors::Cors;

/// CORS for `origins`, or `None` when there are none.
pub fn cors(origins: &[String]) -> Option<Cors> {
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
