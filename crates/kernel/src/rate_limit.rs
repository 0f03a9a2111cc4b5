//! Rate limiting as a port: in-process today (`kernel::infra::InProcessRateLimiter`),
//! a shared store (Redis) later without touching callers.

use crate::error::ApiError;

/// Counts attempts per key and says when a key has had too many.
#[async_trait::async_trait]
pub trait RateLimiter: Send + Sync + 'static {
    /// Records one attempt for `key`; `Err(ApiError::TooManyRequests)` when over the limit.
    async fn hit(&self, key: &str) -> Result<(), ApiError>;
}

/// A limiter that never limits (tests, or limits switched off).
#[derive(Debug, Default, Clone, Copy)]
pub struct Unlimited;

#[async_trait::async_trait]
impl RateLimiter for Unlimited {
    async fn hit(&self, _key: &str) -> Result<(), ApiError> {
        Ok(())
    }
}
