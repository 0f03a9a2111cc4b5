//! Extractor configurations whose failures answer problem+json with the right
//! status: 400 unreadable, 413 too large, 415 wrong type, 422 wrong values.

use super::fallback::{RouteIndex, method_not_allowed};
use crate::error::ApiError;
use actix_web::error::{InternalError, JsonPayloadError, PathError, QueryPayloadError};
use actix_web::web;

/// JSON body extraction: `limit` bytes at most, `application/json` only.
pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(|err, _req| json_error(err).into())
}

fn json_error(err: JsonPayloadError) -> ApiError {
    match err {
        JsonPayloadError::OverflowKnownLength { length, limit } => ApiError::PayloadTooLarge(
            format!("The body is {length} bytes; this endpoint accepts at most {limit}."),
        ),
        JsonPayloadError::Overflow { limit } => ApiError::PayloadTooLarge(format!(
            "The body is larger than the {limit} bytes this endpoint accepts."
        )),
        JsonPayloadError::ContentType => {
            ApiError::UnsupportedMediaType("Send the body as application/json.".into())
        }
        JsonPayloadError::Deserialize(e) if e.is_data() => ApiError::Unprocessable(format!(
            "The JSON body does not match the expected shape: {e}"
        )),
        JsonPayloadError::Deserialize(e) => {
            ApiError::BadRequest(format!("The body is not valid JSON: {e}"))
        }
        JsonPayloadError::Serialize(e) => ApiError::internal(e),
        other => ApiError::BadRequest(format!("The body could not be read: {other}")),
    }
}

/// Query string extraction.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| {
        let detail = match err {
            QueryPayloadError::Deserialize(e) => format!("Invalid query string: {e}"),
            other => format!("Invalid query string: {other}"),
        };
        ApiError::BadRequest(detail).into()
    })
}

/// Path parameter extraction (a malformed UUID in a path is a 400, not a
/// 404), except where the path names a parameterless route exactly
/// (`PATCH /items/import` reaching `/items/{id}`): that is a 405.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, req| {
        let literal = req
            .app_data::<web::Data<RouteIndex>>()
            .and_then(|index| index.literal_allowed(req.path()));
        if let Some(methods) = literal {
            return InternalError::from_response(err, method_not_allowed(req, &methods)).into();
        }
        let detail = match err {
            PathError::Deserialize(e) => format!("Invalid path parameter: {e}"),
            other => format!("Invalid path parameter: {other}"),
        };
        ApiError::BadRequest(detail).into()
    })
}
