//! Overdue and next reminders, from the reminders module's use case.

use crate::application::{RemindersSource, When};
use crate::domain::{ReminderItem, RemindersPart};
use kernel::{ApiError, UserId};
use reminders::application::RemindersService;
use std::sync::Arc;

/// Pending reminders listed.
const NEXT: u16 = 5;

/// [`RemindersSource`] over `RemindersService::attention`.
pub struct RemindersFromModule(pub Arc<RemindersService>);

#[async_trait::async_trait]
impl RemindersSource for RemindersFromModule {
    async fn reminders(&self, user_id: UserId, when: When) -> Result<RemindersPart, ApiError> {
        let attention = self.0.attention(user_id, when.now, NEXT).await?;
        Ok(RemindersPart {
            overdue_count: attention.overdue_count,
            next: attention
                .next
                .into_iter()
                .map(|r| ReminderItem {
                    id: r.id,
                    title: r.title.as_str().to_owned(),
                    due_at: r.due_at,
                    priority: r.priority.as_str().to_owned(),
                })
                .collect(),
        })
    }
}
