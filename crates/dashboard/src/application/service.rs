//! Composing the dashboard: the parts are fetched concurrently, each under a
//! deadline; one failing or late part is marked unavailable, never a 500.

use super::ports::{CalendarSource, FinancesSource, RemindersSource, TimezoneSource, When};
use crate::domain::{Dashboard, Part};
use kernel::{ApiError, Clock, UserId};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// The dashboard's use case.
#[derive(Clone)]
pub struct DashboardService {
    timezones: Arc<dyn TimezoneSource>,
    finances: Arc<dyn FinancesSource>,
    reminders: Arc<dyn RemindersSource>,
    calendar: Arc<dyn CalendarSource>,
    clock: Arc<dyn Clock>,
    part_deadline: Duration,
}

impl DashboardService {
    /// Assembles the dashboard over its sources; each part gets `part_deadline`.
    pub fn new(
        timezones: Arc<dyn TimezoneSource>,
        finances: Arc<dyn FinancesSource>,
        reminders: Arc<dyn RemindersSource>,
        calendar: Arc<dyn CalendarSource>,
        clock: Arc<dyn Clock>,
        part_deadline: Duration,
    ) -> Self {
        Self {
            timezones,
            finances,
            reminders,
            calendar,
            clock,
            part_deadline,
        }
    }

    /// The user's dashboard now, in their time zone.
    pub async fn dashboard(&self, user_id: UserId) -> Result<Dashboard, ApiError> {
        let tz = self.timezones.timezone(user_id).await?;
        let now = self.clock.now();
        let when = When {
            now,
            tz,
            today: now.with_timezone(&tz).date_naive(),
        };
        let (finances, reminders, calendar) = tokio::join!(
            self.part("finances", self.finances.finances(user_id, when)),
            self.part("reminders", self.reminders.reminders(user_id, when)),
            self.part("calendar", self.calendar.calendar(user_id, when)),
        );
        Ok(Dashboard {
            generated_at: now,
            timezone: tz.name().to_owned(),
            today: when.today,
            finances,
            reminders,
            calendar,
        })
    }

    async fn part<T>(
        &self,
        name: &str,
        work: impl Future<Output = Result<T, ApiError>>,
    ) -> Part<T> {
        match tokio::time::timeout(self.part_deadline, work).await {
            Ok(Ok(value)) => Part::Ok(value),
            Ok(Err(err)) => {
                tracing::warn!(part = name, error = %err, "dashboard part failed");
                Part::Unavailable {
                    reason: format!("The {name} part could not be computed."),
                }
            }
            Err(_) => {
                tracing::warn!(
                    part = name,
                    deadline_ms = self.part_deadline.as_millis() as u64,
                    "dashboard part timed out"
                );
                Part::Unavailable {
                    reason: format!("The {name} part took too long."),
                }
            }
        }
    }
}
