//! "Now", as a port, so tests can fix it.

use chrono::{DateTime, Duration, SubsecRound as _, Utc};
use std::sync::{Arc, Mutex};

/// Tells the current instant. Use cases ask it instead of calling `Utc::now()`.
pub trait Clock: Send + Sync + 'static {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
}

/// The real wall clock, at PostgreSQL's precision (microseconds), so an
/// instant a use case returns equals the one read back from the database.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now().trunc_subsecs(6)
    }
}

/// A clock that says what it is told; cloning shares the same instant.
#[derive(Clone, Debug)]
pub struct FixedClock(Arc<Mutex<DateTime<Utc>>>);

impl FixedClock {
    /// A clock stopped at `at` (truncated to microseconds, like the database).
    pub fn at(at: DateTime<Utc>) -> Self {
        Self(Arc::new(Mutex::new(at.trunc_subsecs(6))))
    }

    /// Moves the clock to `at` (truncated to microseconds).
    pub fn set(&self, at: DateTime<Utc>) {
        *self.lock() = at.trunc_subsecs(6);
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut now = self.lock();
        *now = (*now + by).trunc_subsecs(6);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, DateTime<Utc>> {
        // A poisoned lock still holds a valid instant.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.lock()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_keep_database_precision() {
        assert_eq!(SystemClock.now().timestamp_subsec_nanos() % 1_000, 0);
        let odd = DateTime::from_timestamp(1_700_000_000, 123_456_789).unwrap_or_default();
        assert_eq!(
            FixedClock::at(odd).now().timestamp_subsec_nanos(),
            123_456_000
        );
    }

    #[test]
    fn fixed_clock_moves_only_when_told() {
        let start = DateTime::parse_from_rfc3339("2026-11-25T09:00:00-03:00")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        let clock = FixedClock::at(start);
        let shared = clock.clone();
        assert_eq!(clock.now(), start);
        shared.advance(Duration::minutes(5));
        assert_eq!(clock.now(), start + Duration::minutes(5));
        clock.set(start);
        assert_eq!(shared.now(), start);
    }
}
