//! Today's and upcoming occurrences, from the calendar module's use case.

use crate::application::{CalendarSource, When};
use crate::domain::{CalendarPart, Occurrence};
use calendar::application::CalendarService;
use kernel::{ApiError, UserId};
use std::sync::Arc;

/// Occurrences listed after today.
const UPCOMING: usize = 5;

/// [`CalendarSource`] over `CalendarService::agenda_on`.
pub struct CalendarFromModule(pub Arc<CalendarService>);

fn item(o: calendar::domain::Occurrence) -> Occurrence {
    Occurrence {
        event_id: o.event.id,
        title: o.event.title.clone(),
        starts_at: o.starts_at,
        ends_at: o.ends_at,
        all_day: o.dates.is_some(),
    }
}

#[async_trait::async_trait]
impl CalendarSource for CalendarFromModule {
    async fn calendar(&self, user_id: UserId, when: When) -> Result<CalendarPart, ApiError> {
        let agenda = self
            .0
            .agenda_on(user_id, when.tz, when.today, UPCOMING)
            .await?;
        Ok(CalendarPart {
            today: agenda.today.into_iter().map(item).collect(),
            upcoming: agenda.upcoming.into_iter().map(item).collect(),
        })
    }
}
