//! RFC 9457 `application/problem+json` rendering of [`ApiError`].

use crate::error::{ApiError, FieldError, kind_of};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An RFC 9457 problem document.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (stable; compare on it, not on `title`).
    #[serde(rename = "type")]
    #[schema(example = "urn:my-agent:problem:validation-failed")]
    pub kind: String,
    /// A short summary of the kind of problem.
    #[schema(example = "Unprocessable Content")]
    pub title: String,
    /// The HTTP status code.
    #[schema(example = 422)]
    pub status: u16,
    /// What went wrong with this request, for a human.
    pub detail: String,
    /// Per-field problems, on validation failures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
}

impl Problem {
    /// A problem of the given status.
    pub fn new(status: u16, detail: impl Into<String>) -> Self {
        let (slug, title) = kind_of(status);
        Self {
            kind: format!("urn:my-agent:problem:{slug}"),
            title: title.to_owned(),
            status,
            detail: detail.into(),
            errors: None,
        }
    }

    /// The response carrying this problem.
    pub fn into_response(self) -> HttpResponse {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        HttpResponse::build(status)
            .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)))
            .body(body)
    }
}

/// The only detail a 500 ever shows; the cause goes to the log with the request id.
pub(crate) const INTERNAL_DETAIL: &str = "An unexpected error occurred. It has been logged; quote the x-request-id header when reporting it.";
/// The only detail a 503 ever shows.
pub(crate) const UNAVAILABLE_DETAIL: &str =
    "The service cannot reach its database right now. Retry shortly.";

impl From<&ApiError> for Problem {
    fn from(err: &ApiError) -> Self {
        let status = err.status();
        match err {
            ApiError::BadRequest(d)
            | ApiError::Unauthorized(d)
            | ApiError::Forbidden(d)
            | ApiError::Conflict(d)
            | ApiError::PayloadTooLarge(d)
            | ApiError::UnsupportedMediaType(d)
            | ApiError::Unprocessable(d) => Self::new(status, d.clone()),
            ApiError::NotFound => Self::new(status, "No such resource."),
            ApiError::MethodNotAllowed => {
                Self::new(status, "This method is not allowed on this resource.")
            }
            ApiError::PreconditionFailed => Self::new(
                status,
                "The resource has changed since it was read (If-Match does not match its ETag).",
            ),
            ApiError::Validation(errors) => {
                let mut problem = Self::new(status, "The request has invalid values; see errors.");
                problem.errors = Some(errors.clone());
                problem
            }
            ApiError::TooManyRequests { retry_after_secs } => Self::new(
                status,
                format!("Too many requests; retry after {retry_after_secs} s."),
            ),
            ApiError::Unavailable(_) => Self::new(status, UNAVAILABLE_DETAIL),
            ApiError::Internal(_) => Self::new(status, INTERNAL_DETAIL),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = Problem::from(self).into_response();
        let retry_after = match self {
            Self::TooManyRequests { retry_after_secs } => Some(*retry_after_secs),
            Self::Unavailable(_) => Some(1),
            _ => None,
        };
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}
