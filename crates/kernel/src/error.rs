//! The one error type every module error converts into. `http` renders it as
//! RFC 9457 `application/problem+json`; here it carries no HTTP machinery.

use serde::Serialize;
use std::fmt;

/// What went wrong with one input field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "http", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field, as named in the request (`amount`, `items[3].due_at`, `line 12`).
    pub field: String,
    /// What is wrong with it, for a human.
    pub message: String,
}

impl FieldError {
    /// A field error.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// An error a request can end in. Each variant has exactly one status.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the body or query could not be read at all.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 401: missing, invalid or expired credentials.
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// 403: authenticated, but this credential may not do this (a read-only token writing).
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// 404: absent, or owned by someone else (indistinguishable on purpose, RULES R7).
    #[error("not found")]
    NotFound,
    /// 405: the route exists, the method does not.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 409: the request conflicts with existing state (an email already taken).
    #[error("conflict: {0}")]
    Conflict(String),
    /// 412: `If-Match` no longer matches.
    #[error("precondition failed")]
    PreconditionFailed,
    /// 413: the body is larger than this endpoint accepts.
    #[error("payload too large: {0}")]
    PayloadTooLarge(String),
    /// 415: the body is not of a type this endpoint reads.
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    /// 422: the request was read but its values are not acceptable.
    #[error("validation failed: {}", summarize(.0))]
    Validation(Vec<FieldError>),
    /// 422 without a single field to blame.
    #[error("unprocessable: {0}")]
    Unprocessable(String),
    /// 429: slow down; retry after this many seconds.
    #[error("too many requests")]
    TooManyRequests {
        /// Seconds until a retry may succeed (`Retry-After`).
        retry_after_secs: u64,
    },
    /// 503: the database (or another dependency) is unreachable. The cause is logged, never sent.
    #[error("service unavailable: {0:#}")]
    Unavailable(anyhow::Error),
    /// 500: a bug. The cause is logged with the request id, never sent.
    #[error("internal error: {0:#}")]
    Internal(anyhow::Error),
}

fn summarize(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

impl ApiError {
    /// A 422 naming a single field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    /// A 500 from anything that is a bug.
    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        Self::Internal(cause.into())
    }

    /// The HTTP status code of this error.
    pub fn status(&self) -> u16 {
        match self {
            Self::BadRequest(_) => 400,
            Self::Unauthorized(_) => 401,
            Self::Forbidden(_) => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::Conflict(_) => 409,
            Self::PreconditionFailed => 412,
            Self::PayloadTooLarge(_) => 413,
            Self::UnsupportedMediaType(_) => 415,
            Self::Validation(_) | Self::Unprocessable(_) => 422,
            Self::TooManyRequests { .. } => 429,
            Self::Internal(_) => 500,
            Self::Unavailable(_) => 503,
        }
    }
}

/// What a repository (port) can fail with. Infra maps driver errors into it;
/// use cases map it into their module error.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    /// No row matched (for this user).
    #[error("not found")]
    NotFound,
    /// A named unique or foreign-key constraint refused the write.
    #[error("constraint {constraint} violated")]
    Conflict {
        /// The constraint's name, as in the migration.
        constraint: String,
    },
    /// The database could not be reached in time.
    #[error("database unavailable: {0:#}")]
    Unavailable(anyhow::Error),
    /// Anything else: a bug or an unexpected database answer.
    #[error("database error: {0:#}")]
    Other(anyhow::Error),
}

impl From<RepoError> for ApiError {
    fn from(err: RepoError) -> Self {
        match err {
            RepoError::NotFound => Self::NotFound,
            RepoError::Conflict { constraint } => Self::Conflict(format!(
                "the request conflicts with existing data ({constraint})"
            )),
            RepoError::Unavailable(cause) => Self::Unavailable(cause),
            RepoError::Other(cause) => Self::Internal(cause),
        }
    }
}

/// A short, stable slug and title per status, used for problem `type` and `title`.
#[cfg_attr(not(feature = "http"), allow(dead_code))]
pub(crate) fn kind_of(status: u16) -> (&'static str, &'static str) {
    match status {
        400 => ("bad-request", "Bad Request"),
        401 => ("unauthorized", "Unauthorized"),
        403 => ("forbidden", "Forbidden"),
        404 => ("not-found", "Not Found"),
        405 => ("method-not-allowed", "Method Not Allowed"),
        406 => ("not-acceptable", "Not Acceptable"),
        409 => ("conflict", "Conflict"),
        412 => ("precondition-failed", "Precondition Failed"),
        413 => ("payload-too-large", "Payload Too Large"),
        415 => ("unsupported-media-type", "Unsupported Media Type"),
        422 => ("validation-failed", "Unprocessable Content"),
        429 => ("rate-limited", "Too Many Requests"),
        503 => ("service-unavailable", "Service Unavailable"),
        500 => ("internal-error", "Internal Server Error"),
        s if s >= 500 => ("server-error", "Server Error"),
        _ => ("client-error", "Client Error"),
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_its_status() {
        let cases: Vec<(ApiError, u16)> = vec![
            (ApiError::BadRequest("x".into()), 400),
            (ApiError::Unauthorized("x".into()), 401),
            (ApiError::Forbidden("x".into()), 403),
            (ApiError::NotFound, 404),
            (ApiError::Conflict("x".into()), 409),
            (ApiError::PreconditionFailed, 412),
            (ApiError::PayloadTooLarge("x".into()), 413),
            (ApiError::UnsupportedMediaType("x".into()), 415),
            (ApiError::field("amount", "bad"), 422),
            (
                ApiError::TooManyRequests {
                    retry_after_secs: 3,
                },
                429,
            ),
            (ApiError::Unavailable(anyhow::anyhow!("down")), 503),
            (ApiError::internal(anyhow::anyhow!("bug")), 500),
        ];
        for (err, status) in cases {
            assert_eq!(err.status(), status, "{err}");
        }
    }

    #[test]
    fn repo_errors_keep_their_meaning() {
        assert_eq!(ApiError::from(RepoError::NotFound).status(), 404);
        let conflict = RepoError::Conflict {
            constraint: "uq".into(),
        };
        assert_eq!(ApiError::from(conflict).status(), 409);
        assert_eq!(
            ApiError::from(RepoError::Unavailable(anyhow::anyhow!("x"))).status(),
            503
        );
        assert_eq!(
            ApiError::from(RepoError::Other(anyhow::anyhow!("x"))).status(),
            500
        );
    }
}
