//! One port per part, plus the user's time zone. Each answers for one user
//! at one instant; none of them knows about the others.

use crate::domain::{CalendarPart, FinancesPart, RemindersPart};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use kernel::{ApiError, UserId};

/// The instant and the user's calendar around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct When {
    /// Now.
    pub now: DateTime<Utc>,
    /// The user's zone.
    pub tz: Tz,
    /// The user's local date at `now`.
    pub today: NaiveDate,
}

/// The user's time zone (users module).
#[async_trait::async_trait]
pub trait TimezoneSource: Send + Sync {
    /// The user's IANA zone.
    async fn timezone(&self, user_id: UserId) -> Result<Tz, ApiError>;
}

/// This month's money (finances module).
#[async_trait::async_trait]
pub trait FinancesSource: Send + Sync {
    /// The finances part for the month containing `when.today`.
    async fn finances(&self, user_id: UserId, when: When) -> Result<FinancesPart, ApiError>;
}

/// Overdue and upcoming reminders (reminders module).
#[async_trait::async_trait]
pub trait RemindersSource: Send + Sync {
    /// The reminders part at `when.now`.
    async fn reminders(&self, user_id: UserId, when: When) -> Result<RemindersPart, ApiError>;
}

/// Today's and upcoming occurrences (calendar module).
#[async_trait::async_trait]
pub trait CalendarSource: Send + Sync {
    /// The calendar part for `when.today`.
    async fn calendar(&self, user_id: UserId, when: When) -> Result<CalendarPart, ApiError>;
}
