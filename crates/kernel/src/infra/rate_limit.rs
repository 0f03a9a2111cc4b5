//! The in-process [`RateLimiter`]: a keyed GCRA limiter (governor). Each API
//! instance counts on its own, so with N replicas a client gets up to N times
//! the limit; a shared store (Redis) is the switch that fixes that.

use crate::error::ApiError;
use crate::rate_limit::RateLimiter;
use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::num::NonZeroU32;

/// Keys that have not been seen for a while are forgotten once this many are held.
const RETAIN_ABOVE: usize = 10_000;

/// `per_minute` attempts per key per minute, with bursts of the same size.
pub struct InProcessRateLimiter {
    limiter: DefaultKeyedRateLimiter<String>,
}

impl std::fmt::Debug for InProcessRateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InProcessRateLimiter")
            .finish_non_exhaustive()
    }
}

impl InProcessRateLimiter {
    /// A limiter allowing `per_minute` hits per key per minute (at least 1).
    pub fn per_minute(per_minute: u32) -> Self {
        let quota =
            Quota::per_minute(NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN));
        Self {
            limiter: DefaultKeyedRateLimiter::keyed(quota),
        }
    }
}

#[async_trait::async_trait]
impl RateLimiter for InProcessRateLimiter {
    async fn hit(&self, key: &str) -> Result<(), ApiError> {
        if self.limiter.len() > RETAIN_ABOVE {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&key.to_owned())
            .map_err(|not_until| {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                ApiError::TooManyRequests {
                    retry_after_secs: wait.as_secs().max(1),
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn limits_per_key() {
        let limiter = InProcessRateLimiter::per_minute(3);
        for _ in 0..3 {
            limiter.hit("a").await.unwrap();
        }
        let err = limiter.hit("a").await.unwrap_err();
        assert!(
            matches!(err, ApiError::TooManyRequests { retry_after_secs } if (1..=60).contains(&retry_after_secs))
        );
        limiter.hit("b").await.unwrap();
    }
}
